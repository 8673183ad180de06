package io.surveycast.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surveycast.channel.TemplateStore;
import io.surveycast.config.InvalidInputException;
import io.surveycast.http.Pages;
import io.surveycast.report.Breakdown;
import io.surveycast.report.ReportCsv;
import io.surveycast.report.ReportRow;
import io.surveycast.report.Reports;
import io.surveycast.user.Role;
import io.surveycast.user.SessionAuth;
import io.surveycast.user.SignedInPages;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * The dashboard's Segments page ({@code /segments}): a breakdown chooser of one or two dimensions
 * ({@code by1}, {@code by2}: the contract's list, {@code attr:NAME} for each attribute), drawn as one
 * line per first value over the second when the second is a period (each plan's NPS by quarter), else
 * as bars; the tenure and outcomes views are its presets ({@code by1=tenure}; {@code by1=category}:
 * churn, revenue at risk, revenue-weighted NPS). The industry benchmark, when set, is a reference
 * line. Every figure comes from {@link Reports}, under the page's {@link DashboardFilter};
 * {@code download=rows} gives the table as {@code report --format csv} writes it.
 */
public final class SegmentsPage {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> DIMENSIONS =
            List.of("campaign", "wave", "channel", "month", "quarter", "tenure", "category", "account", "theme");
    private static final Set<String> PERIODS = Set.of("month", "quarter");
    private final Reports reports;
    private final SegmentChoices choices;
    private final SignedInPages pages;

    public SegmentsPage(Reports reports, SegmentChoices choices, SessionAuth auth, TemplateStore templates, String company) {
        this.reports = reports;
        this.choices = choices;
        this.pages = new SignedInPages(auth, templates, null, company);
    }

    /** {@code GET /segments?by1=&by2=&from=&to=&where=} and {@code download=rows}. */
    public void show(Exchange exchange) {
        var user = pages.user(exchange, Role.VIEWER);
        if (user.isEmpty()) {
            return;
        }
        Map<String, List<String>> values = choices.values();
        try {
            var query = FilterPages.query(exchange);
            DashboardFilter filter = DashboardFilter.of(query);
            String by1 = FilterPages.param(query, "by1");
            String by2 = FilterPages.param(query, "by2");
            if (by1 == null) {
                String segment = segmentAttribute(values);
                by1 = segment == null ? "quarter" : "attr:" + segment;
                by2 = segment == null ? null : by2 == null ? "quarter" : by2;
            }
            Breakdown by;
            try {
                by = Breakdown.parse(by2 == null || by2.equals(by1) ? by1 : by1 + "," + by2);
            } catch (InvalidInputException e) {
                throw new InvalidInputException(e.getMessage().replaceFirst("^--by", "by1, by2"));
            }
            List<ReportRow> rows = reports.run(null, filter.from(), filter.to(), by, filter.segment(), Reports.DEFAULT_CHURN_WINDOW);
            boolean benchmark = reports.benchmark() != null;
            if ("rows".equals(FilterPages.param(query, "download"))) {
                FilterPages.download(exchange, "nps-by-" + by.toString().replaceAll("[^A-Za-z0-9]+", "-") + ".csv",
                        csv -> ReportCsv.write(csv, rows, by, benchmark));
                return;
            }
            Map<String, String> chosen = new LinkedHashMap<>();
            chosen.put("by1", by.dimensions().isEmpty() ? "" : by.dimensions().get(0).toString());
            chosen.put("by2", by.dimensions().size() < 2 ? "" : by.dimensions().get(1).toString());
            Map<String, Object> model = pages.model(user.get());
            model.putAll(FilterPages.model("/segments", filter, values, chosen));
            model.put("chartJs", DashboardPage.CHART_JS);
            List<String> dimensions = new ArrayList<>(DIMENSIONS);
            values.keySet().forEach(name -> dimensions.add("attr:" + name));
            by.dimensions().forEach(d -> {
                if (!dimensions.contains(d.toString())) {
                    dimensions.add(d.toString());
                }
            });
            model.put("dimensions", dimensions);
            model.put("by1", chosen.get("by1"));
            model.put("by2", chosen.get("by2"));
            model.put("pair", by.dimensions().size() == 2);
            model.put("heads", by.dimensions().stream().map(SegmentsPage::heading).toList());
            model.put("churn", by.has("category"));
            model.put("benchmark", benchmark ? Overview.format(reports.benchmark().nps()) : "");
            model.put("benchmarkSource", benchmark ? reports.benchmark().source() + ", " + reports.benchmark().year() : "");
            model.put("rows", rows.stream().map(SegmentsPage::row).toList());
            model.put("chart", chart(by, rows, benchmark ? reports.benchmark().nps() : null));
            model.put("views", views(values));
            pages.render(exchange, 200, "segments", model);
        } catch (InvalidInputException e) {
            Pages.text(exchange, 400, e.getMessage() + "\n");
        }
    }

    /** The preset views: a segment's trend over quarters, tenure, outcomes. */
    private static List<Map<String, String>> views(Map<String, List<String>> values) {
        List<Map<String, String>> views = new ArrayList<>();
        String segment = segmentAttribute(values);
        if (segment != null) {
            views.add(Map.of("id", "view-trend", "label", "Segment trend by quarter", "by1", "attr:" + segment, "by2", "quarter"));
        }
        views.add(Map.of("id", "view-tenure", "label", "Tenure", "by1", "tenure", "by2", ""));
        views.add(Map.of("id", "view-outcomes", "label", "Outcomes (churn, revenue at risk)", "by1", "category", "by2", ""));
        return views;
    }

    /**
     * The attribute the page opens on: the one with the fewest values but at least two (a plan or a
     * region, not an owner's address), by name among equals; null when no attribute has two values.
     */
    static String segmentAttribute(Map<String, List<String>> values) {
        String best = null;
        for (var e : values.entrySet()) {
            if (e.getValue().size() >= 2 && (best == null || e.getValue().size() < values.get(best).size())) {
                best = e.getKey();
            }
        }
        return best;
    }

    private static String heading(Breakdown.Dimension d) {
        return d.kind().equals("attr") ? d.attribute() : Character.toUpperCase(d.kind().charAt(0)) + d.kind().substring(1);
    }

    private static Map<String, Object> row(ReportRow r) {
        Map<String, Object> m = new HashMap<>();
        m.put("groups", r.groups());
        m.put("invited", r.invited());
        m.put("responded", r.responded());
        m.put("rate", r.responseRate() == null ? "–" : Overview.format(r.responseRate()) + " %");
        m.put("nps", r.nps() == null ? "–" : Overview.format(r.nps()));
        m.put("moe", r.marginOfError() == null ? "" : "± " + Overview.format(r.marginOfError()));
        m.put("tooFew", r.tooFewAnswers());
        m.put("revenue", money(r.revenue()));
        m.put("revenueNps", r.revenueWeightedNps() == null ? "–" : Overview.format(r.revenueWeightedNps()));
        m.put("atRisk", money(r.revenueAtRisk()));
        m.put("churn", r.churnRate() == null ? "–" : Overview.format(r.churnRate()) + " %");
        return m;
    }

    private static String money(BigDecimal value) {
        return value == null ? "–" : value.stripTrailingZeros().toPlainString();
    }

    /**
     * The chart's data: {"type": line|bar, "metric", "labels", "series": [{"name", "data"}], "benchmark"}.
     * Two dimensions: one series per first value over the second's values (in time order for a
     * period); one: a single series over the groups. The outcomes view (category alone) draws the
     * churn rate; every other view NPS, beside which the benchmark is drawn.
     */
    static String chart(Breakdown by, List<ReportRow> rows, Double benchmark) {
        ObjectNode data = JSON.createObjectNode();
        boolean pair = by.dimensions().size() == 2;
        String x = by.dimensions().isEmpty() ? "all" : by.dimensions().get(pair ? 1 : 0).kind();
        boolean churn = by.dimensions().size() == 1 && by.has("category");
        data.put("type", PERIODS.contains(x) ? "line" : "bar");
        data.put("metric", churn ? "Churn rate (%)" : "NPS");
        Set<String> labels = new LinkedHashSet<>();
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        for (ReportRow r : rows) {
            String name = pair ? r.groups().get(0) : data.get("metric").asText();
            String label = pair ? r.groups().get(1) : r.group();
            labels.add(label);
            series.computeIfAbsent(name, k -> new HashMap<>()).put(label, churn ? r.churnRate() : r.nps());
        }
        List<String> ordered = new ArrayList<>(labels);
        if (PERIODS.contains(x)) {
            ordered.sort(null);
        }
        ArrayNode labelNode = data.putArray("labels");
        ordered.forEach(labelNode::add);
        ArrayNode seriesNode = data.putArray("series");
        series.forEach((name, points) -> {
            ObjectNode s = seriesNode.addObject();
            s.put("name", name);
            ArrayNode values = s.putArray("data");
            ordered.forEach(l -> values.add(points.get(l)));
        });
        if (benchmark != null && !churn) {
            data.put("benchmark", benchmark);
        } else {
            data.putNull("benchmark");
        }
        return data.toString();
    }
}
