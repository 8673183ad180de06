package io.surveycast.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.support.ApiServer;
import io.surveycast.support.CliRun;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments, outcomes and benchmarks through the command and the API, on ApiServer's seed: c1 answered
 * welcome 10 (2026-11-02) and renewal 0 (2026-12-20), c2 welcome 3 (2026-11-05) and renewal 9
 * (2027-01-03), c3 welcome 8 (2026-12-10) and a renewal invite failed.
 */
class SegmentReportTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    ApiServer server;

    @BeforeEach
    void start() throws Exception {
        ApiServer.seed(db.dsl());
        server = new ApiServer(db);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode report(String query) throws Exception {
        HttpResponse<String> answer = server.get("/api/reports?" + query, Role.VIEWER);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return ApiServer.body(answer);
    }

    private static JsonNode row(JsonNode rows, String group) {
        for (JsonNode r : rows) {
            if (r.get("group").asText().equals(group)) {
                return r;
            }
        }
        throw new AssertionError("no row " + group + " in " + rows);
    }

    @Test
    void outcomesAccountsAndSegmentsThroughTheApiAndTheCommand() throws Exception {
        for (String[] put : new String[][] {
                {"c1", "{\"churned_at\": \"2027-01-10\", \"attributes\": {\"mrr\": \"100\", \"account\": \"acme\"}}"},
                {"c2", "{\"attributes\": {\"mrr\": 50, \"account\": \"acme\"}}"},
                {"c3", "{\"attributes\": {\"mrr\": \"20.5\", \"account\": \"zen\"}}"}}) {
            HttpResponse<String> done = server.json("PUT", "/api/contacts/" + put[0], Role.OPS, put[1]);
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        }
        // churned_at: an ISO date, "" clears it, a bad one is refused by name
        assertThat(ApiServer.body(server.get("/api/contacts/c1", Role.OPS)).get("churned_at").asText()).isEqualTo("2027-01-10");
        server.json("PUT", "/api/contacts/c1", Role.OPS, "{\"churned_at\": \"\"}");
        assertThat(ApiServer.body(server.get("/api/contacts/c1", Role.OPS)).get("churned_at").isNull()).isTrue();
        HttpResponse<String> bad = server.json("PUT", "/api/contacts/c1", Role.OPS, "{\"churned_at\": \"2027-02-30\"}");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("churned_at").contains("not a valid ISO-8601 date");
        server.json("PUT", "/api/contacts/c1", Role.OPS, "{\"churned_at\": \"2027-01-10\"}");

        // by account, each contact once by their latest answer: acme = c1 (0, detractor, 100) and c2 (9, promoter, 50)
        JsonNode accounts = report("by=account");
        JsonNode acme = row(accounts, "acme");
        assertThat(acme.get("responded").asInt()).as("every answer counts in the NPS").isEqualTo(4);
        assertThat(acme.get("revenue").decimalValue()).isEqualByComparingTo("150");
        assertThat(acme.get("revenue_at_risk").decimalValue()).isEqualByComparingTo("100");
        assertThat(acme.get("revenue_weighted_nps").asDouble()).as("100 x (50 - 100) / 150").isEqualTo(-33.3);
        JsonNode zen = row(accounts, "zen");
        assertThat(zen.get("revenue").decimalValue()).isEqualByComparingTo("20.5");
        assertThat(zen.get("revenue_at_risk").decimalValue()).isEqualByComparingTo("0");
        assertThat(zen.get("revenue_weighted_nps").asDouble()).as("a passive only").isEqualTo(0.0);
        assertThat(acme.has("churn_rate")).as("churn_rate only with category").isFalse();

        // churn by category: detractors c2 (3, 2026-11-05) and c1 (0, 2026-12-20; churned 2027-01-10)
        JsonNode categories = report("by=category");
        assertThat(row(categories, "detractor").get("churn_rate").asDouble()).isEqualTo(50.0);
        assertThat(row(categories, "promoter").get("churn_rate").asDouble()).as("c1's 10 of 2026-11-02").isEqualTo(50.0);
        assertThat(row(categories, "passive").get("churn_rate").asDouble()).isEqualTo(0.0);
        JsonNode tenDays = report("by=category&churn_window=P10D");
        assertThat(row(tenDays, "detractor").get("churn_rate").asDouble()).as("2026-12-20 + 10 days < 2027-01-10").isEqualTo(0.0);
        assertThat(row(report("by=category&churn_window=P21D"), "detractor").get("churn_rate").asDouble())
                .as("the last day of the window counts").isEqualTo(50.0);

        // two dimensions: groups and group; the same rows as the command's JSON
        JsonNode pairs = report("by=account,category");
        JsonNode acmeDetractors = row(pairs, "acme / detractor");
        assertThat(acmeDetractors.get("groups").toString()).isEqualTo("[\"acme\",\"detractor\"]");
        assertThat(acmeDetractors.get("responded").asInt()).isEqualTo(2);
        CliRun cli = CliRun.run(db.settings(), "report", "--by", "account,category", "--format", "json");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(pairs).isEqualTo(ApiServer.JSON.readTree(cli.out()));
        List<String> csv = CliRun.run(db.settings(), "report", "--by", "account,category", "--format", "csv").outLines();
        assertThat(csv.get(0)).startsWith("group_1,group_2,invited,").endsWith(",revenue,revenue_weighted_nps,revenue_at_risk,churn_rate");
        assertThat(csv).anyMatch(l -> l.startsWith("acme,detractor,2,"));

        // --where: values of one attribute OR-ed, attributes AND-ed
        JsonNode proOrFreeAcme = report("where=" + enc("attr:plan=pro") + "&where=" + enc("attr:plan=free")
                + "&where=" + enc("attr:account=acme"));
        assertThat(proOrFreeAcme.get(0).get("responded").asInt()).as("c1 (pro) and c2 (free)").isEqualTo(4);
        JsonNode proAcme = report("where=" + enc("attr:plan=pro") + "&where=" + enc("attr:account=acme") + "&by=campaign");
        assertThat(row(proAcme, "welcome").get("responded").asInt()).as("c1 only").isEqualTo(1);
        CliRun where = CliRun.run(db.settings(), "report", "--where", "attr:plan=pro", "--where", "attr:account=acme",
                "--by", "campaign", "--format", "json");
        assertThat(ApiServer.JSON.readTree(where.out())).isEqualTo(proAcme);

        // the replica's path: the same rows and outcomes as PostgreSQL's, and the figures above
        ReportSettings settings = ReportSettings.fromSettings(db.settings());
        try (ReportReplica replica = ReportReplica.loadNow(db.dsl(), settings)) {
            Reports onReplica = new Reports(db.dsl(), 4, settings, replica);
            Reports onPostgres = new Reports(db.dsl(), 4, settings);
            SegmentFilter proOrFree = SegmentFilter.parse(List.of("attr:plan=pro", "attr:plan=free", "attr:account=acme"));
            for (String by : List.of("account", "category", "account,category", "campaign", "")) {
                for (java.time.Period window : List.of(Reports.DEFAULT_CHURN_WINDOW, java.time.Period.ofDays(10),
                        java.time.Period.ofDays(21))) {
                    for (SegmentFilter segment : List.of(SegmentFilter.NONE, proOrFree)) {
                        assertThat(onReplica.run(null, null, null, Breakdown.parse(by), segment, window))
                                .as("%s %s %s", by, window, segment)
                                .isEqualTo(onPostgres.run(null, null, null, Breakdown.parse(by), segment, window));
                    }
                }
            }
            ReportRow acmeOnReplica = onReplica.run(null, null, null, Breakdown.parse("account")).stream()
                    .filter(r -> r.group().equals("acme")).findFirst().orElseThrow();
            assertThat(acmeOnReplica.revenue()).isEqualByComparingTo("150");
            assertThat(acmeOnReplica.revenueAtRisk()).isEqualByComparingTo("100");
            java.util.function.Function<java.time.Period, Double> detractorChurn = window -> onReplica
                    .run(null, null, null, Breakdown.parse("category"), SegmentFilter.NONE, window).stream()
                    .filter(r -> r.group().equals("detractor")).findFirst().orElseThrow().churnRate();
            assertThat(detractorChurn.apply(java.time.Period.ofDays(10))).isEqualTo(0.0);
            assertThat(detractorChurn.apply(java.time.Period.ofDays(21))).as("the last day of the window counts").isEqualTo(50.0);
        }
    }

    @Test
    void badBreakdownsAndSegmentsAreOneLineErrors() throws Exception {
        String[][] refused = {
                {"by=campaign,wave,month", "by: at most two dimensions"},
                {"by=theme,quarter", "by: theme cannot be combined"},
                {"by=quarter,quarter", "by: quarter twice"},
                {"by=tenure,weekday", "by: unknown breakdown weekday"},
                {"where=" + enc("plan=pro"), "where: expected attr:NAME=VALUE"},
                {"where=" + enc("attr:plan="), "where: expected attr:NAME=VALUE"},
                {"churn_window=365", "churn_window: not an ISO-8601 period"}};
        for (String[] r : refused) {
            HttpResponse<String> answer = server.get("/api/reports?" + r[0], Role.VIEWER);
            assertThat(answer.statusCode()).as(r[0]).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(ApiServer.body(answer).get("detail").asText()).as(r[0]).startsWith(r[1]);
        }
        HttpResponse<String> unknown = server.get("/api/reports?where=" + enc("attr:tier=gold"), Role.VIEWER);
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(ApiServer.body(unknown).get("detail").asText())
                .startsWith("where: attr:tier: unknown attribute, no contact has tier (known: plan)");
        HttpResponse<String> noAccount = server.get("/api/reports?by=account", Role.VIEWER);
        assertThat(noAccount.statusCode()).isEqualTo(422);
        assertThat(ApiServer.body(noAccount).get("detail").asText()).contains("no contact has account");
        for (String[] args : new String[][] {
                {"--by", "a,b,c"}, {"--where", "plan"}, {"--churn-window", "P-3D"}, {"--where", "attr:tier=gold"}}) {
            List<String> command = new ArrayList<>(List.of("report"));
            command.addAll(List.of(args));
            CliRun run = CliRun.run(db.settings(), command.toArray(String[]::new));
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines()).as(run.err()).hasSize(1);
            assertThat(run.err()).startsWith(args[0] + ": ");
        }
    }

    @Test
    void tenureIsCountedInWholeDaysWhenTheInviteWentOut() throws Exception {
        OffsetDateTime sent = OffsetDateTime.parse("2027-01-10T12:00:00Z");
        // onboarded this long before the invite (days, hours) -> the bucket the contract gives
        Map<java.time.Duration, String> edges = new java.util.LinkedHashMap<>();
        edges.put(days(90, 23).plusMinutes(59), "0-90d");
        edges.put(days(91, 0), "91-180d");
        edges.put(days(180, 23), "91-180d");
        edges.put(days(181, 0), "181-365d");
        edges.put(days(365, 23), "181-365d");
        edges.put(days(366, 0), "1-2y");
        edges.put(days(730, 23), "1-2y");
        edges.put(days(731, 0), "2y+");
        edges.put(days(-2, 0), "0-90d");
        StringBuilder csv = new StringBuilder("external_id,email,onboarded_at,edge\n");
        int n = 0;
        for (java.time.Duration before : edges.keySet()) {
            csv.append("e").append(n).append(",e").append(n).append("@example.com,").append(sent.minus(before))
                    .append(",t").append(n).append('\n');
            n++;
        }
        csv.append("e").append(n).append(",e").append(n).append("@example.com,,t").append(n).append('\n');
        Fixtures.contacts(db.dsl(), ApiServer.CLOCK, csv.toString());
        for (int i = 0; i <= n; i++) {
            ApiServer.invitation(db.dsl(), "welcome", "e" + i, "sent", sent.toString());
        }
        List<String> expected = new ArrayList<>(edges.values());
        expected.add("(none)");
        for (int i = 0; i <= n; i++) {
            JsonNode rows = ApiServer.JSON.readTree(CliRun.run(db.settings(), "report", "--by", "tenure", "--where",
                    "attr:edge=t" + i, "--format", "json").out());
            assertThat(rows).as("contact e%d", i).hasSize(1);
            assertThat(rows.get(0).get("group").asText()).as("contact e%d", i).isEqualTo(expected.get(i));
            assertThat(rows.get(0).get("invited").asInt()).isEqualTo(1);
        }
        try (ReportReplica replica = ReportReplica.loadNow(db.dsl(), ReportSettings.DEFAULT)) {
            Reports onReplica = new Reports(db.dsl(), 4, ReportSettings.DEFAULT, replica);
            for (int i = 0; i <= n; i++) {
                List<ReportRow> rows = onReplica.run(null, null, null, Breakdown.parse("tenure"),
                        SegmentFilter.parse(List.of("attr:edge=t" + i)), Reports.DEFAULT_CHURN_WINDOW);
                assertThat(rows).as("contact e%d on the replica", i).extracting(ReportRow::group).containsExactly(expected.get(i));
                assertThat(rows.get(0).invited()).isEqualTo(1);
            }
        }
    }

    @Test
    void benchmarksComeFromTheShippedTableOrTheFileNamed(@TempDir Path dir) throws Exception {
        double software;
        try (InputStream in = Benchmarks.class.getResourceAsStream("/" + Benchmarks.SHIPPED)) {
            String line = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("software,")).findFirst().orElseThrow();
            software = Double.parseDouble(line.split(",")[1]);
        }
        CliRun shipped = CliRun.run(db.settings(Map.of("SURVEYCAST_INDUSTRY", "Software")), "report", "--by", "campaign",
                "--format", "json");
        assertThat(shipped.exitCode()).as(shipped.err()).isZero();
        for (JsonNode r : ApiServer.JSON.readTree(shipped.out())) {
            assertThat(r.get("benchmark").asDouble()).isEqualTo(software);
            assertThat(r.get("benchmark_source").asText()).contains("QuestionPro");
        }
        assertThat(ApiServer.JSON.readTree(CliRun.run(db.settings(), "report", "--format", "json").out()).get(0)
                .has("benchmark")).as("no industry, no benchmark").isFalse();

        Path mine = dir.resolve("bench.csv");
        Files.writeString(mine, "# ours\nindustry,nps,source,year\nwidgets,12.5,Widget Association survey,2025\n");
        CliRun own = CliRun.run(db.settings(Map.of("SURVEYCAST_INDUSTRY", "widgets",
                "SURVEYCAST_BENCHMARKS_FILE", mine.toString())), "report", "--format", "csv");
        assertThat(own.exitCode()).as(own.err()).isZero();
        assertThat(own.outLines().get(0)).endsWith(",benchmark,benchmark_source");
        assertThat(own.outLines().get(1)).endsWith(",12.5,\"Widget Association survey, 2025\"");

        Files.writeString(mine, "industry,nps,source,year\nwidgets,lots,Widget Association survey,2025\ngadgets,40,,2025\n");
        CliRun broken = CliRun.run(db.settings(Map.of("SURVEYCAST_INDUSTRY", "widgets",
                "SURVEYCAST_BENCHMARKS_FILE", mine.toString())), "report");
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.errLines()).containsExactly(mine + ":2: nps: not a number: lots",
                mine + ":3: source: missing (every figure names its source and year)");
        CliRun unknown = CliRun.run(db.settings(Map.of("SURVEYCAST_INDUSTRY", "spaceflight")), "report");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("SURVEYCAST_INDUSTRY: no benchmark for spaceflight (known: all-industries, software,");
    }

    private static java.time.Duration days(int days, int hours) {
        return java.time.Duration.ofDays(days).plusHours(hours);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
