package io.surveycast.dashboard;

import io.surveycast.campaign.CampaignSummary;
import io.surveycast.campaign.Campaigns;
import io.surveycast.channel.TemplateStore;
import io.surveycast.config.InvalidInputException;
import io.surveycast.report.Breakdown;
import io.surveycast.report.ReportCsv;
import io.surveycast.report.ReportRow;
import io.surveycast.report.Reports;
import io.surveycast.user.Role;
import io.surveycast.user.User;
import io.surveycast.http.FormSigner;
import io.surveycast.http.Pages;
import io.surveycast.user.SessionAuth;
import io.surveycast.user.SignedInPages;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.jooq.DSLContext;

/**
 * The dashboard's other pages: campaigns (pause and resume for ops), one campaign (funnel,
 * channels, score distribution), responses with filters and comment search, suppressions.
 * Forms carry a signed field ({@link FormSigner}) besides the session.
 */
public final class AdminPages {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private final DSLContext dsl;
    private final SignedInPages pages;
    private final Campaigns campaigns;
    private final Reports reports;
    private final DashboardQueries queries = new DashboardQueries();
    private final SegmentChoices choices;

    private final java.time.Clock clock;
    private final io.surveycast.schedule.DueRunner dueRunner;
    static final int SUPPRESSIONS_PAGE = 100;
    /** A campaign's forecast replays 30 days of due-scans: kept for a few minutes per campaign. */
    private final Map<String, Map.Entry<java.time.Instant, String>> forecasts = new java.util.concurrent.ConcurrentHashMap<>();

    public AdminPages(DSLContext dsl, Reports reports, java.time.Clock clock, SessionAuth auth, TemplateStore templates, String company,
                      Campaigns campaigns, FormSigner signer, io.surveycast.schedule.DueRunner dueRunner, SegmentChoices choices) {
        this.choices = choices;
        this.dsl = dsl;
        this.clock = clock;
        this.dueRunner = dueRunner;
        this.pages = new SignedInPages(auth, templates, signer, company);
        this.campaigns = campaigns;
        this.reports = reports;
    }

    public void campaigns(Exchange exchange) {
        Optional<User> user = pages.user(exchange, Role.VIEWER);
        if (user.isEmpty()) {
            return;
        }
        Map<String, List<String>> query;
        DashboardFilter filter;
        List<ReportRow> reportRows;
        try {
            query = FilterPages.query(exchange);
            filter = DashboardFilter.of(query);
            reportRows = run(null, filter, "campaign", "campaigns".equals(FilterPages.param(query, "download")));
        } catch (InvalidInputException e) {
            Pages.text(exchange, 400, e.getMessage() + "\n");
            return;
        }
        if ("campaigns".equals(FilterPages.param(query, "download"))) {
            csv(exchange, "campaigns.csv", reportRows, "campaign");
            return;
        }
        Map<String, ReportRow> byCampaign = new HashMap<>();
        reportRows.forEach(r -> byCampaign.put(r.group(), r));
        List<Map<String, Object>> rows = campaigns.list().stream().map(c -> {
            ReportRow r = byCampaign.get(c.key());
            Map<String, Object> row = new HashMap<>();
            row.put("key", c.key());
            row.put("name", c.name());
            row.put("status", c.status());
            row.put("trigger", c.trigger());
            row.put("channels", String.join(", ", c.channels()));
            row.put("invited", r == null ? 0 : r.invited());
            row.put("nps", r == null || r.nps() == null ? "–" : String.valueOf(r.nps()));
            row.put("rate", r == null || r.responseRate() == null ? "–" : r.responseRate() + " %");
            row.put("csrf", pages.sign("campaign", c.key()));
            return row;
        }).toList();
        Map<String, Object> model = pages.model(user.get());
        model.putAll(FilterPages.model("/campaigns", filter, choices.values()));
        model.put("campaigns", rows);
        model.put("canChange", user.get().role().includes(Role.OPS));
        pages.render(exchange, 200, "campaigns", model);
    }

    /** POST /campaigns/{key}/pause or /resume, for ops. */
    public void setStatus(Exchange exchange) {
        Message in = exchange.getMessage();
        String key = in.getHeader("key", String.class);
        String action = in.getHeader("action", String.class);
        Optional<SignedInPages.Post> post = pages.post(exchange, Role.OPS, "campaign",
                "pause".equals(action) || "resume".equals(action) ? key : null);
        if (post.isEmpty()) {
            return;
        }
        if (!campaigns.setStatus(key, action.equals("pause") ? "paused" : "active", post.get().user().name())) {
            Pages.text(exchange, 404, "Not found\n");
            return;
        }
        Pages.redirect(exchange, "/campaigns");
    }

    public void campaign(Exchange exchange) {
        Optional<User> user = pages.user(exchange, Role.VIEWER);
        if (user.isEmpty()) {
            return;
        }
        String key = exchange.getMessage().getHeader("key", String.class);
        Optional<CampaignSummary> found = campaigns.list().stream().filter(c -> c.key().equals(key)).findFirst();
        if (found.isEmpty()) {
            Pages.text(exchange, 404, "Not found\n");
            return;
        }
        Map<String, List<String>> query;
        DashboardFilter filter;
        List<ReportRow> all;
        List<ReportRow> channels;
        List<ReportRow> quarters;
        try {
            query = FilterPages.query(exchange);
            filter = DashboardFilter.of(query);
            String download = FilterPages.param(query, "download");
            if ("channels".equals(download) || "quarters".equals(download)) {
                String by = download.equals("channels") ? "channel" : "quarter";
                csv(exchange, key + "-by-" + by + ".csv", run(key, filter, by, true), by);
                return;
            }
            all = run(key, filter, null, false);
            if ("lift".equals(download)) {
                FilterPages.download(exchange, key + "-reminder-lift.csv", csv -> {
                    csv.text("step", "responded", "points");
                    if (!all.isEmpty()) {
                        ReportRow r = all.get(0);
                        for (int step = 0; step < r.lift().size(); step++) {
                            csv.values(java.util.Arrays.asList(step, r.lift().get(step), r.liftPoints().get(step)));
                        }
                    }
                });
                return;
            }
            channels = run(key, filter, "channel", false);
            quarters = run(key, filter, "quarter", false);
        } catch (InvalidInputException e) {
            Pages.text(exchange, 400, e.getMessage() + "\n");
            return;
        }
        Map<String, Object> model = pages.model(user.get());
        model.putAll(FilterPages.model("/campaigns/" + key, filter, choices.values()));
        model.put("campaign", Map.of("key", key, "name", found.get().name(), "status", found.get().status()));
        model.put("total", all.isEmpty() ? null : summary(all.get(0)));
        model.put("channels", channels.stream().map(AdminPages::summary).toList());
        model.put("quarters", quarters.stream().map(AdminPages::summary).toList());
        model.put("distribution", all.isEmpty() ? "[]" : all.get(0).scores().toString());
        List<Map<String, Object>> lift = new java.util.ArrayList<>();
        if (!all.isEmpty()) {
            ReportRow r = all.get(0);
            for (int step = 0; step < r.lift().size(); step++) {
                Double points = r.liftPoints().get(step);
                lift.add(Map.of("step", step == 0 ? "Invitation" : "Reminder " + step, "responded", r.lift().get(step),
                        "points", points == null ? "–" : points + " pts"));
            }
        }
        model.put("lift", lift);
        model.put("chartJs", DashboardPage.CHART_JS);
        String forecast = forecast(key);
        model.put("forecast", forecast);
        model.put("forecastEmpty", nothingPlanned(forecast));
        pages.render(exchange, 200, "campaign", model);
    }

    public void responses(Exchange exchange) {
        Optional<User> user = pages.user(exchange, Role.VIEWER);
        if (user.isEmpty()) {
            return;
        }
        Message in = exchange.getMessage();
        String category = blankToNull(in.getHeader("category", String.class));
        if (category != null && !List.of("promoter", "passive", "detractor").contains(category)) {
            category = null;
        }
        String campaign = blankToNull(in.getHeader("campaign", String.class));
        String text = blankToNull(in.getHeader("q", String.class));
        // a theme chip links here; a key that is no theme (any more) shows every response
        String theme = blankToNull(in.getHeader("theme", String.class));
        if (theme != null && !theme.matches("[a-z0-9-]{1,64}")) {
            theme = null;
        }
        Map<String, Object> model = pages.model(user.get());
        model.put("category", category == null ? "" : category);
        model.put("campaign", campaign == null ? "" : campaign);
        model.put("q", text == null ? "" : text);
        model.put("campaigns", campaigns.list().stream().map(CampaignSummary::key).toList());
        var search = new io.surveycast.response.ResponseSearch(dsl);
        String cursor = blankToNull(in.getHeader("after", String.class));
        io.surveycast.response.ResponseSearch.Page page;
        try {
            page = search.find(new io.surveycast.response.ResponseSearch.Filter(category, campaign, null, null, text, theme,
                    null), cursor == null ? null : io.surveycast.response.ResponseSearch.Cursor.decode(cursor), 100);
        } catch (io.surveycast.config.InvalidInputException e) {
            theme = null;
            page = search.find(new io.surveycast.response.ResponseSearch.Filter(category, campaign, null, null, text),
                    cursor == null ? null : io.surveycast.response.ResponseSearch.Cursor.decode(cursor), 100);
        }
        model.put("theme", theme == null ? "" : theme);
        model.put("responses", page.items().stream().map(r -> Map.<String, Object>of(
                "id", r.id(), "score", r.score(), "category", r.category(),
                "comment", r.comment() == null ? "" : r.comment(), "contact", r.name() == null ? r.externalId() : r.name(),
                "externalId", r.externalId(),
                "campaign", r.campaign(), "channel", r.channel(), "at", DAY.format(r.receivedAt()),
                "themes", r.themes())).toList());
        model.put("next", page.next() == null ? "" : "/responses?category=" + enc(category) + "&campaign=" + enc(campaign)
                + "&q=" + enc(text) + "&theme=" + enc(theme) + "&after=" + page.next().encode());
        pages.render(exchange, 200, "responses", model);
    }

    public void suppressions(Exchange exchange) {
        Optional<User> user = pages.user(exchange, Role.VIEWER);
        if (user.isEmpty()) {
            return;
        }
        Map<String, Object> model = pages.model(user.get());
        String text = blankToNull(exchange.getMessage().getHeader("q", String.class));
        if (text != null && text.length() > 200) {
            text = text.substring(0, 200);
        }
        int page = 1;
        try {
            page = Math.max(1, Math.min(100_000, Integer.parseInt(exchange.getMessage().getHeader("page", "1", String.class))));
        } catch (NumberFormatException e) {
            page = 1; // an unreadable page number: the first page
        }
        var rows = queries.suppressions(dsl, text, (page - 1) * SUPPRESSIONS_PAGE, SUPPRESSIONS_PAGE + 1);
        String base = "/suppressions?q=" + enc(text) + "&page=";
        model.put("q", text == null ? "" : text);
        model.put("page", page);
        model.put("newer", page > 1 ? base + (page - 1) : "");
        model.put("older", rows.size() > SUPPRESSIONS_PAGE ? base + (page + 1) : "");
        model.put("suppressions", rows.stream().limit(SUPPRESSIONS_PAGE).map(s -> Map.<String, Object>of(
                "contact", s.contact() == null ? "" : s.contact(), "externalId", s.externalId(), "channel", s.channel(),
                "reason", s.reason(), "source", s.source() == null ? "" : s.source(), "at", DAY.format(s.at()))).toList());
        pages.render(exchange, 200, "suppressions", model);
    }

    /** {"labels": [days], "invites": [..], "reminders": [..], "skips": [..]} for the next 30 days. */
    private String forecast(String key) {
        java.time.Instant now = clock.instant();
        var cached = forecasts.get(key);
        if (cached != null && cached.getKey().isAfter(now.minus(java.time.Duration.ofMinutes(5)))) {
            return cached.getValue();
        }
        var days = new io.surveycast.plan.Forecast(dsl).days(now, 30, dueRunner::runAt, key);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        var labels = json.putArray("labels");
        var invites = json.putArray("invites");
        var reminders = json.putArray("reminders");
        var skips = json.putArray("skips");
        days.forEach((day, counts) -> {
            labels.add(day.toString());
            invites.add(counts.invite().values().stream().mapToLong(Long::longValue).sum());
            reminders.add(counts.remind().values().stream().mapToLong(Long::longValue).sum());
            skips.add(counts.skip().values().stream().mapToLong(Long::longValue).sum());
        });
        forecasts.put(key, Map.entry(now, json.toString()));
        return json.toString();
    }

    /** A forecast with no invitation and no reminder on any day: the page says so instead of an empty chart. */
    static boolean nothingPlanned(String forecastJson) {
        try {
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(forecastJson);
            for (String series : new String[] {"invites", "reminders"}) {
                for (var day : json.path(series)) {
                    if (day.asLong() > 0) {
                        return false;
                    }
                }
            }
            return true;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The report of one campaign (or all) under the filter, by {@code by} (null: one row). */
    /** @param outcomes whether the rows need revenue and churn: a download's do, the pages show neither */
    private List<ReportRow> run(String campaign, DashboardFilter filter, String by, boolean outcomes) {
        return outcomes
                ? reports.run(campaign, filter.from(), filter.to(), Breakdown.parse(by), filter.segment(), Reports.DEFAULT_CHURN_WINDOW)
                : reports.runWithoutOutcomes(campaign, filter.from(), filter.to(), Breakdown.parse(by), filter.segment());
    }

    private void csv(Exchange exchange, String filename, List<ReportRow> rows, String by) {
        FilterPages.download(exchange, filename, csv -> ReportCsv.write(csv, rows, Breakdown.parse(by), reports.benchmark() != null));
    }

    private static Map<String, Object> summary(ReportRow r) {
        Map<String, Object> m = new HashMap<>();
        m.put("group", r.group());
        m.put("invited", r.invited());
        m.put("delivered", r.delivered());
        m.put("failed", r.failed());
        m.put("responded", r.responded());
        m.put("rate", r.responseRate() == null ? "–" : r.responseRate() + " %");
        m.put("nps", r.nps() == null ? "–" : String.valueOf(r.nps()));
        m.put("moe", r.marginOfError() == null ? "" : "± " + r.marginOfError());
        return m;
    }

    private static String enc(String value) {
        return value == null ? "" : java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
