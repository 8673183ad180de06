package io.surveycast.report;

import io.surveycast.sql.NamedSql;
import io.surveycast.sql.Params;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.time.Period;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.QueryPart;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The report statements over the replica (sql/replica-report.sql, DuckDB): the same rows and
 * outcomes as {@link ReportQueries} computes from PostgreSQL's raw rows, from the facts of
 * replica-schema.sql. Every figure is defined by report.sql; these only read it from another place.
 */
final class ReplicaQueries {
    private static final NamedSql NAMED = NamedSql.of("replica-report");
    /** What a dimension reads from the rows grouped: the time tenure is measured at, the contact's onboarding, the answer's score. */
    private record Rows(Field<Long> at, Field<Long> onboarded, Field<?> score) {
    }

    private static final Field<Long> CONTACT_ONBOARDED = DSL.field(DSL.name("ct", "onboarded_us"), Long.class);
    /** The facts (x), their contact joined as ct for tenure. */
    private static final Rows FACTS = new Rows(DSL.field(DSL.name("x", "at_us"), Long.class), CONTACT_ONBOARDED,
            DSL.field(DSL.name("x", "score")));
    /** The decisions (x), ct for tenure, r the answer of the same invitation for category. */
    private static final Rows DECISIONS = new Rows(DSL.field(DSL.name("x", "planned_us"), Long.class), CONTACT_ONBOARDED,
            DSL.field(DSL.name("r", "score")));
    /** The answers (x, replica-schema.sql's answer), which carry their contact's onboarding. */
    private static final Rows ANSWERS = new Rows(DSL.field(DSL.name("x", "at_us"), Long.class),
            DSL.field(DSL.name("x", "onboarded_us"), Long.class), DSL.field(DSL.name("x", "score")));
    /** Rows in group order: element by element, as PostgreSQL orders text and text[] under the C collation. */
    private static final Comparator<List<String>> GROUP_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    /** The rows of a report, as {@link ReportQueries#rows(DSLContext, ReportQuery)} gives them. */
    List<ReportRow> rows(Connection duck, ReportQuery q) {
        DSLContext dsl = DSL.using(duck, SQLDialect.DUCKDB);
        if (q.by().kind().equals("theme")) {
            return dsl.resultQuery(NAMED.get("replica-theme").sql(new Params().part("sent_filter", filter(q))
                            .part("median", median(q, "m"))))
                    .fetch(r -> row(r, List.of(), Map.of(), Map.of(), themeShare(r)));
        }
        Map<List<String>, Record> counts = new HashMap<>();
        dsl.resultQuery(labelled(q, NAMED.get("replica-counts").sql(sentParams(q)))).forEach(r -> counts.put(groups(r), r));
        Map<List<String>, Map<String, Long>> skipped = new HashMap<>();
        Map<List<String>, Map<String, Long>> deferred = new HashMap<>();
        dsl.resultQuery(labelled(q, NAMED.get("replica-decisions").sql(new Params()
                .part("grp", group(q, DECISIONS))
                .part("contact_join", contactJoin(q))
                .part("attribute_join", attributeJoins(q))
                .part("response_join", q.by().has("category") ? NAMED.get("response-join").sql() : DSL.sql(""))
                .part("planned_filter", filter(q))))).forEach(r ->
                (r.get("kind", String.class).equals("skip") ? skipped : deferred)
                        .computeIfAbsent(groups(r), k -> new TreeMap<>())
                        .put(r.get("reason", String.class), r.get("n", Long.class)));
        TreeMap<List<String>, Record> all = new TreeMap<>(GROUP_ORDER);
        counts.forEach(all::put);
        for (List<String> g : skipped.keySet()) {
            all.putIfAbsent(g, null);
        }
        for (List<String> g : deferred.keySet()) {
            all.putIfAbsent(g, null);
        }
        List<ReportRow> rows = new ArrayList<>(all.size());
        all.forEach((g, r) -> rows.add(r == null
                ? new ReportRow(String.join(" / ", g), 0, 0, 0, 0, 0, 0, java.util.Collections.nCopies(11, 0L), null,
                        List.of(), new LinkedHashMap<>(skipped.getOrDefault(g, Map.of())),
                        new LinkedHashMap<>(deferred.getOrDefault(g, Map.of())), null, 0, g, null, null)
                : row(r, histogram(r.get("lift"), 0), skipped.getOrDefault(g, Map.of()), deferred.getOrDefault(g, Map.of()),
                        null)));
        return ReportQueries.withoutEmptyGroups(q, rows);
    }

    /**
     * Revenue and churn per group, as {@link ReportQueries#outcomes} gives them.
     * @param revenue whether some contact may have the revenue attribute (else revenue is null)
     * @param window  the churn window; churn is counted only with {@code category} in the breakdown
     */
    Map<List<String>, Outcomes> outcomes(Connection duck, ReportQuery q, boolean revenue, Period window) {
        boolean theme = q.by().kind().equals("theme");
        boolean churn = q.by().has("category");
        String stored = storedLatest(q);
        org.jooq.SQL statement;
        String alias = stored != null ? "x" : "l";
        // churn only by category: the dates computed for every respondent cost half the statement
        QueryPart churned = !churn ? DSL.falseCondition() : NAMED.get("churned-within").sql(new Params()
                .part("churned_at", DSL.field(DSL.name(alias, "churned_at"))).part("received", DSL.field(DSL.name(alias, "received_us")))
                .value("months", (int) window.toTotalMonths()).value("days", window.getDays()));
        if (stored != null) {
            statement = NAMED.get("replica-outcomes-stored").sql(new Params().part("grp", group(q, ANSWERS))
                    .part("attribute_join", attributeJoins(q)).part("sent_filter", filter(q))
                    .part("latest", DSL.field(DSL.name("x", stored), Boolean.class))
                    .part("churned", churned).part("sums", NAMED.get("outcome-sums").sql()));
        } else {
            Params answers = new Params()
                    .part("grp", theme ? NAMED.get("group-one").sql(new Params().part("first", NAMED.get("dim-theme").sql()))
                            : group(q, ANSWERS))
                    .part("theme_join", theme ? NAMED.get("theme-join").sql() : DSL.sql(""))
                    .part("attribute_join", attributeJoins(q))
                    .part("sent_filter", filter(q));
            statement = NAMED.get("replica-outcomes").sql(new Params()
                    .part("latest", NAMED.get("latest-by-aggregate").sql(answers))
                    .part("churned", churned).part("sums", NAMED.get("outcome-sums").sql()));
        }
        Map<List<String>, Outcomes> out = new HashMap<>();
        DSL.using(duck, SQLDialect.DUCKDB).resultQuery(labelled(q, statement)).forEach(r -> {
            BigDecimal total = revenue ? scaled(r, "revenue", "revenue_scale") : null;
            BigDecimal promoters = scaled(r, "promoter_revenue", "promoter_scale");
            BigDecimal detractors = scaled(r, "detractor_revenue", "detractor_scale");
            out.put(groups(r), new Outcomes(r.get("respondents", Long.class), total,
                    promoters == null ? BigDecimal.ZERO : promoters, detractors == null ? BigDecimal.ZERO : detractors,
                    churn ? r.get("churned", Long.class) : null));
        });
        return out;
    }

    /**
     * The flag of the replica's answer table marking each contact's latest answer in the scope this
     * report's outcomes need, or null when no flag fits (a breakdown by channel or theme, two of
     * month, quarter, wave, category and tenure, or days that cut a group in part): then every answer
     * is grouped by group and contact (latest-by-aggregate). Attributes and --where keep or drop a
     * contact whole, so they never change which answer is a contact's latest; a campaign (a breakdown
     * or --campaign) narrows the scope to it; days must start and end on the boundaries of the
     * breakdown's months or quarters.
     */
    static String storedLatest(ReportQuery q) {
        String scope = null;
        boolean campaign = q.campaign() != null;
        for (Breakdown.Dimension d : q.by().dimensions()) {
            switch (d.kind()) {
                case "month", "quarter", "wave", "category", "tenure" -> {
                    if (scope != null) {
                        return null;
                    }
                    scope = d.kind();
                }
                case "campaign" -> campaign = true;
                case "attr", "account" -> {
                }
                default -> {
                    return null;
                }
            }
        }
        boolean period = "month".equals(scope) || "quarter".equals(scope);
        if (period ? !startsA(scope, q.from()) || !startsA(scope, q.toExclusive())
                : q.from() != null || q.toExclusive() != null) {
            return null;
        }
        return scope == null ? campaign ? "latest_campaign" : "latest_overall"
                : scope.equals("wave") ? "latest_wave" : (campaign ? "latest_campaign_" : "latest_") + scope;
    }

    /** Whether {@code day} is none or the first day of a month (or of a quarter). */
    private static boolean startsA(String period, java.time.LocalDate day) {
        return day == null || day.getDayOfMonth() == 1 && (period.equals("month") || (day.getMonthValue() - 1) % 3 == 0);
    }

    /** The mentions of each theme per quarter (its first day) in the days and segment of {@code q}, as {@link Reports#themeMentionsByQuarter}. */
    Map<String, Map<java.time.LocalDate, Long>> mentionsByQuarter(Connection duck, ReportQuery q) {
        Map<String, Map<java.time.LocalDate, Long>> out = new HashMap<>();
        DSL.using(duck, SQLDialect.DUCKDB).resultQuery(NAMED.get("replica-theme-quarters").sql(new Params()
                .part("sent_filter", filter(q)))).forEach(r -> out.computeIfAbsent(r.get("theme", String.class),
                        k -> new TreeMap<>()).put(r.get("quarter", java.time.LocalDate.class), r.get("mentions", Long.class)));
        return out;
    }

    /** The median delay of the rows {@code alias}, or none when the report does not want it. */
    private static QueryPart median(ReportQuery q, String alias) {
        return q.median() ? NAMED.get("median-delay").sql(new Params().part("rows", DSL.name(alias)))
                : DSL.inline(null, Double.class);
    }

    /** A revenue sum at the largest scale of the values summed (exact: none has more). */
    private static BigDecimal scaled(Record r, String sum, String scale) {
        BigDecimal value = r.get(sum, BigDecimal.class);
        return value == null ? null : value.setScale(r.get(scale, Integer.class), RoundingMode.UNNECESSARY);
    }

    private static Params sentParams(ReportQuery q) {
        return new Params().part("grp", group(q, FACTS)).part("median", median(q, "x")).part("contact_join", contactJoin(q))
                .part("attribute_join", attributeJoins(q)).part("sent_filter", filter(q));
    }

    /**
     * A histogram's counts by key 0, 1, 2... ({@code size} of them, or up to its largest key when 0):
     * DuckDB gives a map (null when it counted nothing).
     */
    private static List<Long> histogram(Object map, int size) {
        Map<?, ?> counts = map == null ? Map.of() : (Map<?, ?>) map;
        int n = size;
        for (Object key : counts.keySet()) {
            n = Math.max(n, ((Number) key).intValue() + 1);
        }
        List<Long> out = new ArrayList<>(java.util.Collections.nCopies(n, 0L));
        counts.forEach((key, count) -> out.set(((Number) key).intValue(), ((Number) count).longValue()));
        return out;
    }

    private static ReportRow row(Record r, List<Long> lift, Map<String, Long> skipped, Map<String, Long> deferred,
                                 ThemeShare theme) {
        List<Long> scores = histogram(r.get("scores"), 11);
        long promoters = scores.get(9) + scores.get(10);
        long passives = scores.get(7) + scores.get(8);
        long detractors = scores.subList(0, 7).stream().mapToLong(Long::longValue).sum();
        Double median = r.get("median_seconds", Double.class);
        List<String> groups = groups(r);
        return new ReportRow(String.join(" / ", groups), r.get("invited", Long.class), r.get("failed", Long.class),
                r.get("responded", Long.class), promoters, passives, detractors, List.copyOf(scores),
                median == null ? null : ReportRow.round(median / 3600), List.copyOf(lift),
                new LinkedHashMap<>(skipped), new LinkedHashMap<>(deferred), theme,
                r.get("offline", Long.class), groups, null, null);
    }

    private static ThemeShare themeShare(Record r) {
        return new ThemeShare(r.get("comment_mentions", Long.class), r.get("comments", Long.class),
                r.get("detractor_comment_mentions", Long.class), r.get("detractor_comments", Long.class),
                r.get("answers", Long.class), r.get("all_promoters", Long.class), r.get("all_detractors", Long.class));
    }

    private static List<String> groups(Record r) {
        String second = r.get("g2", String.class);
        String first = r.get("g1", String.class);
        return second == null ? List.of(first) : List.of(first, second);
    }

    private static QueryPart contactJoin(ReportQuery q) {
        // only tenure reads the contact: attribute joins and --where keep only existing contacts' facts by themselves
        return q.by().has("tenure") ? NAMED.get("contact-join").sql() : DSL.sql("");
    }

    /** k1 and k2 of the {@code rows} grouped (facts, decisions or answers: x, with c, and ct or r as {@link Rows} reads them). */
    private static QueryPart group(ReportQuery q, Rows rows) {
        List<Breakdown.Dimension> dims = q.by().dimensions();
        return switch (dims.size()) {
            case 0 -> NAMED.get("group-one").sql(new Params().part("first", NAMED.get("dim-all").sql()));
            case 1 -> NAMED.get("group-one").sql(new Params().part("first", dimension(dims.get(0), q, rows)));
            default -> NAMED.get("group-two").sql(new Params()
                    .part("first", dimension(dims.get(0), q, rows)).part("second", dimension(dims.get(1), q, rows)));
        };
    }

    /** The rows of {@code inner}, grouped on keys k1 and k2, with their groups' names g1 and g2. */
    private static org.jooq.SQL labelled(ReportQuery q, QueryPart inner) {
        List<Breakdown.Dimension> dims = q.by().dimensions();
        return NAMED.get("labelled").sql(new Params().part("inner", inner)
                .part("label1", label(dims.isEmpty() ? null : dims.get(0), q, DSL.field(DSL.name("r", "k1"))))
                .part("label2", label(dims.size() < 2 ? null : dims.get(1), q, DSL.field(DSL.name("r", "k2")))));
    }

    /** A group's name from its key: a month's or a quarter's date named, an attribute's code decoded, any other key is its name. */
    private static QueryPart label(Breakdown.Dimension d, ReportQuery q, Field<?> key) {
        String kind = d == null ? "" : d.kind();
        return switch (kind) {
            case "wave" -> q.campaign() == null ? key
                    : NAMED.get("label-wave").sql(new Params().value("campaign", q.campaign()).part("key", key));
            case "month" -> NAMED.get("label-month").sql(new Params().part("key", key));
            case "quarter" -> NAMED.get("label-quarter").sql(new Params().part("key", key));
            case "attr", "account" -> NAMED.get("label-attribute").sql(new Params().part("key", key)
                    .value("attribute", attribute(d, q)));
            default -> key;
        };
    }

    /** The attribute of each attr:NAME or account dimension, joined as a1 (first dimension) or a2 (second). */
    private static QueryPart attributeJoins(ReportQuery q) {
        List<QueryPart> joins = new ArrayList<>();
        List<Breakdown.Dimension> dims = q.by().dimensions();
        for (int i = 0; i < dims.size(); i++) {
            String attribute = attribute(dims.get(i), q);
            if (attribute != null) {
                joins.add(NAMED.get("attribute-join").sql(new Params().part("alias", DSL.name("a" + (i + 1)))
                        .value("attribute", attribute)));
            }
        }
        return switch (joins.size()) {
            case 0 -> DSL.sql("");
            case 1 -> joins.get(0);
            default -> NAMED.get("two-joins").sql(new Params().part("first", joins.get(0)).part("second", joins.get(1)));
        };
    }

    private static String attribute(Breakdown.Dimension d, ReportQuery q) {
        return switch (d.kind()) {
            case "attr" -> d.attribute();
            case "account" -> q.accountAttribute();
            default -> null;
        };
    }

    private static QueryPart dimension(Breakdown.Dimension d, ReportQuery q, Rows rows) {
        int index = q.by().dimensions().indexOf(d) + 1;
        return switch (d.kind()) {
            case "campaign" -> NAMED.get("dim-campaign").sql();
            case "wave" -> NAMED.get(q.campaign() == null ? "dim-wave" : "dim-wave-of-campaign").sql();
            case "channel" -> NAMED.get("dim-channel").sql();
            case "month" -> NAMED.get("dim-month").sql();
            case "quarter" -> NAMED.get("dim-quarter").sql();
            case "tenure" -> NAMED.get("dim-tenure").sql(new Params().part("at", rows.at()).part("onboarded", rows.onboarded()));
            case "category" -> NAMED.get("dim-category").sql(new Params().part("score", rows.score()));
            case "attr", "account" -> NAMED.get("dim-attribute").sql(new Params().part("alias", DSL.name("a" + index)));
            default -> throw new IllegalArgumentException(d.toString());
        };
    }

    /** The campaign, the UTC days of x ({@code to} excluded; the day sent of a fact, planned of a decision) and the --where segment. */
    private static Condition filter(ReportQuery q) {
        Condition where = DSL.noCondition();
        Field<java.time.LocalDate> day = DSL.field(DSL.name("x", "day"), java.time.LocalDate.class);
        if (q.campaign() != null) {
            where = where.and(DSL.field(DSL.name("c", "key"), String.class).eq(q.campaign()));
        }
        if (q.from() != null) {
            where = where.and(day.ge(q.from()));
        }
        if (q.toExclusive() != null) {
            where = where.and(day.lt(q.toExclusive()));
        }
        for (var e : q.segment().values().entrySet()) {
            where = where.and(DSL.condition(NAMED.get("segment-attribute").sql(new Params().value("name", e.getKey())
                    .part("in", DSL.field(DSL.name("a", "value"), String.class).in(e.getValue())))));
        }
        return where.equals(DSL.noCondition()) ? DSL.trueCondition() : where;
    }
}
