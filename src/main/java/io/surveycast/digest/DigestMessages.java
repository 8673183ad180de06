package io.surveycast.digest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surveycast.channel.TemplateStore;
import io.surveycast.report.ReportRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A digest's content as an email (a text and an HTML part from the {@code email/digest} templates;
 * the HTML with inline styles and the answers' split as a bar of table cells, no script, no image,
 * for Gmail and Outlook) and as a Slack Block Kit message (header, section fields, sections, context).
 */
final class DigestMessages {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMOTER = "#1a7f37";
    private static final String PASSIVE = "#bf8700";
    private static final String DETRACTOR = "#cf222e";
    /** Slack's limit for one text object in a section. */
    private static final int SLACK_TEXT = 2900;
    private final TemplateStore templates;

    DigestMessages(TemplateStore templates) {
        this.templates = templates;
    }

    String subject(DigestContent c) {
        return c.digest() + ": NPS " + number(c.nps()) + change(c.npsChange()) + " for " + period(c.period());
    }

    String text(DigestContent c) {
        return templates.render("email", "digest", null, "txt", model(c));
    }

    String html(DigestContent c) {
        return templates.render("email", "digest", null, "html", model(c));
    }

    /** The Slack message: Block Kit blocks, and {@code text} as the notification's fallback. */
    String slack(DigestContent c) {
        ReportRow r = c.current();
        ObjectNode body = JSON.createObjectNode();
        body.put("text", subject(c));
        ArrayNode blocks = body.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", limit(c.digest() + ": NPS " + number(c.nps()), 150));
        ObjectNode figures = blocks.addObject().put("type", "section");
        ArrayNode fields = figures.putArray("fields");
        field(fields, "NPS", number(c.nps()) + (r != null && r.tooFewAnswers() ? " (too few answers)" : ""));
        field(fields, "Change", c.npsChange() == null ? "no previous figure" : signed(c.npsChange()));
        field(fields, "Responses", r == null ? "0" : r.responded() + " of " + r.delivered() + " delivered");
        field(fields, "Response rate", percent(r == null ? null : r.responseRate()));
        field(fields, "Margin of error", r == null || r.marginOfError() == null ? "-" : "± " + number(r.marginOfError()));
        if (c.cases().open() > 0) {
            field(fields, "Follow-up cases", c.cases().open() + (c.cases().atLeast() ? "+" : "") + " open, "
                    + c.cases().overdue() + " overdue");
        }
        if (!c.themes().isEmpty()) {
            StringBuilder themes = new StringBuilder("*Top themes*");
            c.themes().forEach(t -> themes.append("\n• ").append(escape(t.name())).append(": ").append(t.mentions())
                    .append(" mentions (").append(percent(t.commentShare())).append(" of comments)"));
            section(blocks, themes.toString());
        }
        if (!c.comments().isEmpty()) {
            StringBuilder comments = new StringBuilder("*Recent comments*");
            for (DigestContent.Comment m : c.comments()) {
                comments.append("\n• *").append(m.score()).append("/10* \u201c").append(escape(limit(m.text(), 300)))
                        .append("\u201d <").append(m.url()).append("|Open>");
            }
            section(blocks, comments.toString());
        }
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn").put("text",
                limit(period(c.period()) + " (UTC days) · <" + c.dashboardUrl() + "|Dashboard>", SLACK_TEXT));
        return body.toString();
    }

    private static void field(ArrayNode fields, String title, String value) {
        fields.addObject().put("type", "mrkdwn").put("text", "*" + title + "*\n" + escape(value));
    }

    private static void section(ArrayNode blocks, String text) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", limit(text, SLACK_TEXT));
    }

    /** Slack's mrkdwn control characters, as its documentation asks. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private Map<String, Object> model(DigestContent c) {
        ReportRow r = c.current();
        Map<String, Object> m = new HashMap<>();
        m.put("digest", c.digest());
        m.put("period", period(c.period()));
        m.put("nps", number(c.nps()));
        m.put("tooFew", r != null && r.tooFewAnswers());
        m.put("change", c.npsChange() == null ? "no previous figure"
                : signed(c.npsChange()) + " vs " + period(c.previousPeriod()));
        // numbers as text: FreeMarker would group them by locale (1,234), report prints 1234
        m.put("responses", Long.toString(r == null ? 0L : r.responded()));
        m.put("delivered", Long.toString(r == null ? 0L : r.delivered()));
        m.put("responseRate", percent(r == null ? null : r.responseRate()));
        m.put("margin", r == null || r.marginOfError() == null ? "-" : "± " + number(r.marginOfError()));
        m.put("promoterShare", percent(r == null ? null : r.promoterShare()));
        m.put("passiveShare", percent(r == null ? null : r.passiveShare()));
        m.put("detractorShare", percent(r == null ? null : r.detractorShare()));
        List<Map<String, Object>> bars = new ArrayList<>();
        if (r != null && r.responded() > 0) {
            bar(bars, r.promoterShare(), PROMOTER);
            bar(bars, r.passiveShare(), PASSIVE);
            bar(bars, r.detractorShare(), DETRACTOR);
        }
        m.put("bars", bars);
        m.put("themes", c.themes().stream().map(t -> Map.<String, Object>of("name", t.name(), "mentions", Long.toString(t.mentions()),
                "share", percent(t.commentShare()))).toList());
        if (c.cases().open() > 0) {
            m.put("cases", Map.of("open", c.cases().open() + (c.cases().atLeast() ? "+" : ""),
                    "overdue", Integer.toString(c.cases().overdue())));
        }
        m.put("comments", c.comments().stream().map(x -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("score", Integer.toString(x.score()));
            one.put("category", x.category());
            one.put("text", x.text());
            one.put("campaign", x.campaign());
            one.put("url", x.url());
            one.put("color", switch (x.category()) {
                case "promoter" -> PROMOTER;
                case "passive" -> PASSIVE;
                default -> DETRACTOR;
            });
            return one;
        }).toList());
        m.put("dashboardUrl", c.dashboardUrl());
        return m;
    }

    private static void bar(List<Map<String, Object>> bars, Double share, String color) {
        long width = share == null ? 0 : Math.round(share);
        if (width > 0) {
            bars.add(Map.of("width", Long.toString(width), "color", color));
        }
    }

    static String period(DigestPeriod p) {
        return p.from() + " to " + p.last();
    }

    static String number(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String signed(Double value) {
        return String.format(Locale.ROOT, "%+.1f", value);
    }

    private static String change(Double value) {
        return value == null ? "" : " (" + signed(value) + ")";
    }

    private static String percent(Double value) {
        return value == null ? "-" : number(value) + "%";
    }

    private static String limit(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }
}
