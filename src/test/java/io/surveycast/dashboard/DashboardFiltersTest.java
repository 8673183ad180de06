package io.surveycast.dashboard;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.support.PageClient.get;
import static io.surveycast.support.PageClient.signedIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.support.ApiServer;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.Condition;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard's filters (dates, segment) change the figures to what the raw rows say, the
 * breakdown chooser and its views, and the CSV downloads beside the tables (same filter, cells
 * neutralised, the report's numbers as they are). On ApiServer's seed (c1 and c3 pro, c2 free,
 * answers from 2026-11-02 to 2027-01-03), with c4 (enterprise: two 10s) added, c2's plan made
 * "=cmd" (a value a spreadsheet would run) and the software benchmark set.
 */
class DashboardFiltersTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    ApiServer server;
    HttpClient browser;

    @BeforeEach
    void start() throws Exception {
        ApiServer.seed(db.dsl());
        Fixtures.contacts(db.dsl(), ApiServer.CLOCK, "external_id,email,name,plan,mrr\nc4,dee@example.com,Dee,enterprise,300\n");
        ApiServer.answer(db.dsl(), "welcome", "c4", 10, null, "2026-11-20T10:00:00Z");
        ApiServer.answer(db.dsl(), "renewal", "c4", 10, null, "2027-01-10T10:00:00Z");
        db.dsl().execute("update contact set attributes = attributes || '{\"plan\": \"=cmd\"}'::jsonb where external_id = 'c2'");
        db.dsl().execute("update contact set attributes = attributes || '{\"account\": \"acme\"}'::jsonb, name = '@Ann' "
                + "where external_id in ('c1', 'c2')");
        server = new ApiServer(db, Map.of("SURVEYCAST_INDUSTRY", "software"));
        browser = signedIn(server.base, server.tokens.get(Role.VIEWER));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** One server for the three parts (a server per test method costs more than the checks). */
    @Test
    void filtersBreakdownsAndDownloads() throws Exception {
        theOverviewsFiguresFollowTheDatesAndTheSegment();
        campaignPagesAreFilteredAndEveryTableDownloads();
        theSegmentsPageDrawsATrendByQuarterTenureAndOutcomesAndDownloadsItsRows();
    }

    private void theOverviewsFiguresFollowTheDatesAndTheSegment() throws Exception {
        String all = page("/");
        assertThat(kpi(all, "kpi-nps")).as("the last 90 days, everyone").isEqualTo(rawNps(null, null, null));
        assertThat(kpi(all, "kpi-responded")).isEqualTo(String.valueOf(rawResponded(null, null, null)));
        // the segment filter offers each attribute's existing values
        assertThat(all).contains("<option value=\"attr:plan=pro\">plan = pro</option>")
                .contains("<option value=\"attr:plan=enterprise\">plan = enterprise</option>")
                .contains("<option value=\"attr:plan==cmd\">plan = =cmd</option>");

        String pro = page("/?where=" + enc("attr:plan=pro"));
        assertThat(kpi(pro, "kpi-responded")).isEqualTo(String.valueOf(rawResponded("pro", null, null))).isEqualTo("3");
        assertThat(kpi(pro, "kpi-nps")).isEqualTo(rawNps("pro", null, null)).isNotEqualTo(kpi(all, "kpi-nps"));
        assertThat(pro).contains("<option value=\"attr:plan=pro\" selected>").contains("Contacts with plan = pro");
        // the latest detractor comments: the segment's only (any date), as the raw rows have them
        assertThat(comments(all)).as("everyone's").isEqualTo(rawComments(null)).hasSizeGreaterThan(rawComments("pro").size());
        assertThat(comments(pro)).isEqualTo(rawComments("pro")).isNotEmpty();
        assertThat(comments(page("/?where=" + enc("attr:plan=enterprise")))).as("c4 left no comment").isEmpty();
        assertThat(all).doesNotContain("all contacts");

        LocalDate from = LocalDate.parse("2026-11-15");
        LocalDate to = LocalDate.parse("2027-01-05");
        String dated = page("/?from=" + from + "&to=" + to);
        assertThat(kpi(dated, "kpi-responded")).isEqualTo(String.valueOf(rawResponded(null, from, to)));
        assertThat(kpi(dated, "kpi-nps")).isEqualTo(rawNps(null, from, to)).isNotEqualTo(kpi(all, "kpi-nps"));
        assertThat(dated).contains("NPS, 2026-11-15 to 2027-01-05").contains("value=\"2026-11-15\"");

        String both = page("/?from=" + from + "&to=" + to + "&where=" + enc("attr:plan=enterprise"));
        assertThat(kpi(both, "kpi-responded")).isEqualTo(String.valueOf(rawResponded("enterprise", from, to))).isEqualTo("1");
        assertThat(kpi(both, "kpi-nps")).isEqualTo("100.0");

        // the download beside the quarters' chart: the same filter, the report's CSV
        assertThat(both).contains("href=\"/?from=2026-11-15&amp;to=2027-01-05&amp;where=attr%3Aplan%3Denterprise&amp;download=quarters\"");
        HttpResponse<String> csv = browser.send(get(server.base + "/?from=" + from + "&to=" + to + "&where="
                + enc("attr:plan=enterprise") + "&download=quarters"), HttpResponse.BodyHandlers.ofString());
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        assertThat(csv.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"nps-by-quarter.csv\"");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).startsWith("group,invited,delivered,").endsWith(",benchmark,benchmark_source");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("2026-Q4,1,1,0,1,100.0,100.0,");
        // with the revenue of its respondent (the page itself shows none, and computes none)
        List<String> header = List.of(lines.get(0).split(","));
        assertThat(lines.get(1).split(",")[header.indexOf("revenue")]).isEqualTo("300");

        // bad input: one line naming the field, 400, never a 500
        for (String[] bad : new String[][] {{"/?from=2027-13-01", "from: not a date"}, {"/?from=2027-02-01&to=2027-01-01", "to: 2027-01-01 is before from"},
                {"/?where=plan", "where: expected attr:NAME=VALUE"}, {"/?where=" + enc("attr:nosuch=x"), "unknown attribute"},
                {"/segments?by1=nope", "by1, by2: unknown breakdown nope"}, {"/campaigns?to=x", "to: not a date"}}) {
            HttpResponse<String> answer = browser.send(get(server.base + bad[0]), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(answer.body()).as(bad[0]).contains(bad[1]);
        }
    }

    private void campaignPagesAreFilteredAndEveryTableDownloads() throws Exception {
        String welcome = page("/campaigns/welcome?where=" + enc("attr:plan=pro"));
        Matcher invited = Pattern.compile("id=\"funnel-invited\">(\\d+)<").matcher(welcome);
        assertThat(invited.find()).isTrue();
        assertThat(invited.group(1)).as("c1 and c3").isEqualTo("2");
        for (String table : new String[] {"channels", "quarters", "lift"}) {
            assertThat(welcome).contains("href=\"/campaigns/welcome?where=attr%3Aplan%3Dpro&amp;download=" + table + "\"");
        }
        String channels = download("/campaigns/welcome?where=" + enc("attr:plan=pro") + "&download=channels");
        assertThat(channels.lines().toList().get(1)).startsWith("email,2,2,0,2,100.0,");
        assertThat(download("/campaigns/welcome?download=lift").lines().toList()).first().isEqualTo("step,responded,points");

        String list = page("/campaigns?from=2027-01-01");
        assertThat(list).contains("href=\"/campaigns?from=2027-01-01&amp;download=campaigns\"");
        List<String> rows = download("/campaigns?from=2027-01-01&download=campaigns").lines().toList();
        assertThat(rows).anyMatch(l -> l.startsWith("renewal,3,2,1,2,100.0,100.0,"));

        // an account's tables: its contacts (a name that would run in a spreadsheet neutralised) and its quarters
        String account = page("/accounts/acme?from=2026-10-01&to=2027-01-15");
        assertThat(account).contains("href=\"/accounts/acme?from=2026-10-01&amp;to=2027-01-15&amp;download=contacts\"");
        List<String> contacts = download("/accounts/acme?from=2026-10-01&to=2027-01-15&download=contacts").lines().toList();
        assertThat(contacts).containsExactly("external_id,name,score,category,campaign,received_at",
                "c1,'@Ann,0,detractor,renewal,2026-12-20T10:00:00Z", "c2,'@Ann,9,promoter,renewal,2027-01-03T10:00:00Z");
        assertThat(download("/accounts/acme?from=2026-10-01&to=2027-01-15&download=quarters").lines().toList())
                .first().isEqualTo("quarter,nps,responded,promoters,passives,detractors");
    }

    private void theSegmentsPageDrawsATrendByQuarterTenureAndOutcomesAndDownloadsItsRows() throws Exception {
        String trend = page("/segments?by1=attr:plan&by2=quarter");
        assertThat(trend).contains("id=\"segments-chart\"").contains("&quot;type&quot;:&quot;line&quot;")
                .contains("&quot;name&quot;:&quot;pro&quot;").contains("&quot;labels&quot;:[&quot;2026-Q4&quot;,&quot;2027-Q1&quot;]")
                .contains("&quot;benchmark&quot;:34.0");
        assertThat(trend).contains("href=\"/segments?by1=attr%3Aplan&amp;by2=quarter&amp;download=rows\"");
        String csv = download("/segments?by1=attr:plan&by2=quarter&download=rows");
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).startsWith("group_1,group_2,invited,").endsWith(",benchmark,benchmark_source");
        // the attribute value is neutralised, the report's own negative NPS is not
        assertThat(lines).anyMatch(l -> l.startsWith("'=cmd,2026-Q4,1,1,0,1,100.0,-100.0,"));
        assertThat(lines).anyMatch(l -> l.startsWith("enterprise,2027-Q1,1,1,0,1,100.0,100.0,"));

        // a filter applies to the breakdown too, and stays in the chooser's form and the download link
        String pro = page("/segments?by1=attr:plan&by2=quarter&where=" + enc("attr:plan=pro"));
        assertThat(pro).doesNotContain("&quot;name&quot;:&quot;enterprise&quot;").contains("<input type=\"hidden\" name=\"where\" value=\"attr:plan=pro\">");
        assertThat(download("/segments?by1=attr:plan&by2=quarter&where=" + enc("attr:plan=pro") + "&download=rows").lines()
                .skip(1)).allMatch(l -> l.startsWith("pro,"));

        String tenure = page("/segments?by1=tenure");
        assertThat(tenure).contains("<td>(none)</td>").contains("id=\"view-tenure\"");
        String outcomes = page("/segments?by1=category");
        assertThat(outcomes).contains("<th scope=\"col\">Churn</th>").contains("&quot;metric&quot;:&quot;Churn rate (%)&quot;");
        // c4's 300 is at no risk (a promoter); only c4 has mrr
        assertThat(download("/segments?by1=category&download=rows").lines().filter(l -> l.startsWith("promoter,")).findFirst().orElseThrow())
                .containsPattern(",300(\\.0+)?,100\\.0,0(\\.0+)?,");
    }

    private String page(String path) throws Exception {
        HttpResponse<String> answer = browser.send(get(server.base + path), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        return answer.body();
    }

    private String download(String path) throws Exception {
        HttpResponse<String> answer = browser.send(get(server.base + path), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).as(path).hasValue("text/csv; charset=utf-8");
        assertThat(answer.headers().firstValue("Content-Disposition")).as(path).hasValueSatisfying(v -> assertThat(v).startsWith("attachment; filename="));
        return answer.body();
    }

    private static String kpi(String page, String id) {
        // the value of the card (kpi-responded) or the value itself (kpi-nps)
        Matcher m = Pattern.compile("id=\"" + id + "\">(?:<div class=\"muted\">[^<]*</div><div class=\"value\">)?([^<]*)<").matcher(page);
        assertThat(m.find()).as(id).isTrue();
        return m.group(1);
    }

    /** The answers to the invitations sent in the days (the overview's default: the last 90), of the plan, from the raw rows. */
    private Condition raw(String plan, LocalDate from, LocalDate to) {
        LocalDate today = LocalDate.ofInstant(ApiServer.CLOCK.instant(), ZoneOffset.UTC);
        LocalDate first = from == null ? today.minusDays(90) : from;
        LocalDate last = to == null ? today : to;
        Condition c = INVITATION.SENT_AT.ge(first.atStartOfDay().atOffset(ZoneOffset.UTC))
                .and(INVITATION.SENT_AT.lt(last.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC)));
        return plan == null ? c : c.and(DSL.field("{0} ->> 'plan'", String.class, CONTACT.ATTRIBUTES).eq(plan));
    }

    private long rawResponded(String plan, LocalDate from, LocalDate to) {
        return db.dsl().fetchCount(db.dsl().select(RESPONSE.ID).from(RESPONSE).join(INVITATION).on(INVITATION.ID.eq(RESPONSE.INVITATION_ID))
                .join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID)).where(raw(plan, from, to)));
    }

    private String rawNps(String plan, LocalDate from, LocalDate to) {
        List<Short> scores = db.dsl().select(RESPONSE.SCORE).from(RESPONSE).join(INVITATION).on(INVITATION.ID.eq(RESPONSE.INVITATION_ID))
                .join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID)).where(raw(plan, from, to)).fetch(RESPONSE.SCORE);
        long promoters = scores.stream().filter(s -> s >= 9).count();
        long detractors = scores.stream().filter(s -> s <= 6).count();
        return String.format(Locale.ROOT, "%.1f", 100.0 * (promoters - detractors) / scores.size());
    }

    /** The responses the overview's latest detractor comments link to, in the page's order. */
    private static List<Long> comments(String page) {
        Matcher list = Pattern.compile("(?s)<ul class=\"comments\">(.*?)</ul>").matcher(page);
        if (!list.find()) {
            return List.of();
        }
        Matcher link = Pattern.compile("href=\"/responses/(\\d+)\"").matcher(list.group(1));
        List<Long> ids = new java.util.ArrayList<>();
        while (link.find()) {
            ids.add(Long.parseLong(link.group(1)));
        }
        return ids;
    }

    /** Every comment of a 0-6 answer of the plan's contacts (any date), newest first, from the raw rows. */
    private List<Long> rawComments(String plan) {
        Condition of = plan == null ? DSL.noCondition() : DSL.field("{0} ->> 'plan'", String.class, CONTACT.ATTRIBUTES).eq(plan);
        return db.dsl().select(RESPONSE.ID).from(RESPONSE).join(INVITATION).on(INVITATION.ID.eq(RESPONSE.INVITATION_ID))
                .join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .where(RESPONSE.SCORE.le((short) 6), RESPONSE.COMMENT.isNotNull(), of)
                .orderBy(RESPONSE.RECEIVED_AT.desc(), RESPONSE.ID.desc()).fetch(RESPONSE.ID);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

}
