package io.surveycast.theme;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.InvalidInputException;
import io.surveycast.dashboard.DashboardFilter;
import io.surveycast.dashboard.FilterPages;
import io.surveycast.dashboard.SegmentChoices;
import io.surveycast.http.FormSigner;
import io.surveycast.http.Pages;
import io.surveycast.report.Breakdown;
import io.surveycast.report.ReportCsv;
import io.surveycast.report.ReportRow;
import io.surveycast.report.Reports;
import io.surveycast.response.ResponseSearch;
import io.surveycast.user.Role;
import io.surveycast.user.SessionAuth;
import io.surveycast.user.SignedInPages;
import io.surveycast.user.User;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * The dashboard's Themes page ({@code /themes}): over the last 12 months, every theme ranked by its
 * weight on NPS (the size of its impact), with its mentions, share of comments and of detractors'
 * comments, the NPS of those who mention it, its mentions in each of the last four quarters, and
 * its latest comments with their theme chips. Also the form of the response page that sets a
 * response's themes by hand ({@code POST /responses/{id}/themes}, ops).
 */
public final class ThemesPage {
    /** The signed form's action, shared with the response page that shows the form. */
    public static final String FORM = "response-themes";
    static final int LATEST = 3;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final Themes themes;
    private final ResponseSearch search;
    private final Reports reports;
    private final Clock clock;
    private final SignedInPages pages;
    private final SegmentChoices choices;

    public ThemesPage(Themes themes, ResponseSearch search, Reports reports, Clock clock, SessionAuth auth,
                      TemplateStore templates, String company, FormSigner signer, SegmentChoices choices) {
        this.themes = themes;
        this.search = search;
        this.reports = reports;
        this.clock = clock;
        this.pages = new SignedInPages(auth, templates, signer, company);
        this.choices = choices;
    }

    public void show(Exchange exchange) {
        Optional<User> user = pages.user(exchange, Role.VIEWER);
        if (user.isEmpty()) {
            return;
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<String, List<String>> query;
        DashboardFilter filter;
        List<ReportRow> rows;
        LocalDate from;
        LocalDate to;
        boolean download;
        try {
            query = FilterPages.query(exchange);
            filter = DashboardFilter.of(query);
            from = filter.from() != null ? filter.from() : today.minusYears(1).plusDays(1);
            to = filter.to() != null ? filter.to() : today;
            download = "themes".equals(FilterPages.param(query, "download"));
            // revenue and churn only for the download: the page shows neither
            rows = new ArrayList<>(download
                    ? reports.run(null, from, to, Breakdown.parse("theme"), filter.segment(), Reports.DEFAULT_CHURN_WINDOW)
                    : reports.runWithoutOutcomes(null, from, to, Breakdown.parse("theme"), filter.segment()));
        } catch (InvalidInputException e) {
            Pages.text(exchange, 400, e.getMessage() + "\n");
            return;
        }
        if (download) {
            List<ReportRow> all = rows;
            FilterPages.download(exchange, "themes.csv", csv -> ReportCsv.write(csv, all, Breakdown.parse("theme"),
                    reports.benchmark() != null));
            return;
        }
        Map<String, String> labels = new HashMap<>();
        themes.list().forEach(t -> labels.put(t.key(), t.label()));
        // the heaviest weight on the score first, whichever way it pulls; themes with no impact last
        rows.sort(Comparator.comparing((ReportRow r) -> r.npsImpact() == null ? -1 : Math.abs(r.npsImpact())).reversed()
                .thenComparing(ReportRow::group));
        List<LocalDate> quarters = new ArrayList<>();
        LocalDate quarter = today.with(IsoFields.DAY_OF_QUARTER, 1);
        for (int i = 3; i >= 0; i--) {
            quarters.add(quarter.minusMonths(3L * i));
        }
        Map<String, Map<LocalDate, Long>> trend = reports.themeMentionsByQuarter(quarters.get(0),
                quarters.get(quarters.size() - 1).plusMonths(3).minusDays(1), filter.segment());
        List<Map<String, Object>> shown = new ArrayList<>();
        for (ReportRow r : rows) {
            Map<String, Object> theme = new LinkedHashMap<>();
            theme.put("key", r.group());
            theme.put("label", labels.getOrDefault(r.group(), r.group()));
            theme.put("mentions", r.mentions());
            theme.put("commentShare", percent(r.commentShare()));
            theme.put("detractorShare", percent(r.detractorCommentShare()));
            theme.put("nps", r.responded() == 0 ? "–" : r.tooFewAnswers() ? "–" : number(r.nps()));
            theme.put("impact", r.npsImpact() == null ? "–" : (r.npsImpact() > 0 ? "+" : "") + number(r.npsImpact()));
            theme.put("drag", r.npsImpact() != null && r.npsImpact() < 0);
            List<Map<String, Object>> trendRow = new ArrayList<>();
            Map<LocalDate, Long> counts = trend.getOrDefault(r.group(), Map.of());
            for (LocalDate q : quarters) {
                trendRow.add(Map.of("quarter", q.getYear() + "-Q" + q.get(IsoFields.QUARTER_OF_YEAR),
                        "mentions", counts.getOrDefault(q, 0L)));
            }
            theme.put("trend", trendRow);
            var latest = search.find(new ResponseSearch.Filter(null, null, from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                    null, null, r.group(), null), null, LATEST);
            theme.put("latest", latest.items().stream().filter(c -> c.comment() != null).map(c -> Map.<String, Object>of(
                    "id", c.id(), "score", c.score(), "category", c.category(), "comment", c.comment(),
                    "contact", c.name() == null ? c.externalId() : c.name(), "at", DAY.format(c.receivedAt()),
                    "themes", c.themes(), "sentiment", c.sentiment() == null ? "" : c.sentiment())).toList());
            shown.add(theme);
        }
        Map<String, Object> model = pages.model(user.get());
        model.putAll(FilterPages.model("/themes", filter, choices.values()));
        model.put("from", from.toString());
        model.put("to", to.toString());
        model.put("themes", shown);
        pages.render(exchange, 200, "themes", model);
    }

    /**
     * {@code POST /responses/{id}/themes} from the response page, for ops: the checked themes
     * (fields {@code theme.KEY}) become the response's manual tags, the others are removed.
     */
    public void saveTags(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        Optional<SignedInPages.Post> post = pages.post(exchange, Role.OPS, FORM, id);
        if (post.isEmpty()) {
            return;
        }
        List<String> keys = post.get().form().keySet().stream().filter(k -> k.startsWith("theme.")).map(k -> k.substring(6)).toList();
        try {
            themes.setManual(Long.parseLong(id), keys, post.get().user().name());
        } catch (Themes.NoSuchResponse | NumberFormatException e) {
            Pages.text(exchange, 404, "Not found\n");
            return;
        } catch (InvalidInputException e) {
            Pages.text(exchange, 400, e.getMessage() + "\n");
            return;
        }
        Pages.redirect(exchange, "/responses/" + id);
    }

    private static String percent(Double value) {
        return value == null ? "–" : number(value) + " %";
    }

    private static String number(Double value) {
        return String.format(java.util.Locale.ROOT, "%.1f", value);
    }
}
