package io.surveycast.share;

import io.surveycast.channel.TemplateStore;
import io.surveycast.http.Pages;
import io.surveycast.http.TokenBackoff;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code /share/{token}}: the overview for a wall display, read-only and without sign-in. It shows
 * the overview's figures and comments, never who wrote them (no name, email, phone or external id,
 * no link into the dashboard), and reloads itself. An unknown, revoked or expired token answers
 * the same 404; wrong tokens count towards the address's back-off, as on sign-in and the API.
 */
public final class SharePage {
    /** How often the wall display reloads itself. */
    static final int REFRESH_SECONDS = 300;
    private final Shares shares;
    private final Supplier<Map<String, Object>> overview;
    private final TemplateStore templates;
    private final TokenBackoff backoff;
    private final String company;
    private final String chartJs;

    SharePage(Shares shares, Supplier<Map<String, Object>> overview, TemplateStore templates, TokenBackoff backoff,
              String company, String chartJs) {
        this.shares = shares;
        this.overview = overview;
        this.templates = templates;
        this.backoff = backoff;
        this.company = company;
        this.chartJs = chartJs;
    }

    public void show(Exchange exchange) {
        Message in = exchange.getMessage();
        String address = TokenBackoff.clientAddress(in);
        var blocked = backoff.blockedFor(address);
        if (blocked.isPresent()) {
            Pages.text(exchange, 429, "Too many wrong links; try again later.\n");
            exchange.getMessage().setHeader("Retry-After", Long.toString(blocked.getAsLong()));
            return;
        }
        if (!shares.opens(in.getHeader("token", String.class))) {
            backoff.failed(address, "/share");
            Pages.text(exchange, 404, "Not found\n");
            return;
        }
        Map<String, Object> figures = overview.get();
        Map<String, Object> model = new HashMap<>();
        for (String key : List.of("trend", "hasData", "nps90", "moe90", "rate90", "responded90")) {
            model.put(key, figures.get(key));
        }
        model.put("comments", anonymous(figures.get("comments")));
        model.put("company", company);
        model.put("chartJs", chartJs);
        model.put("refresh", REFRESH_SECONDS);
        Pages.html(exchange, 200, templates.render("web", "share", null, "html", model));
    }

    /** The comments with what was said, where and when: the contact and the response's id left out. */
    static List<Map<String, Object>> anonymous(Object comments) {
        return ((List<?>) comments).stream().map(c -> {
            Map<?, ?> comment = (Map<?, ?>) c;
            Map<String, Object> kept = new HashMap<>();
            for (String key : List.of("score", "comment", "campaign", "at")) {
                kept.put(key, comment.get(key));
            }
            return kept;
        }).toList();
    }
}
