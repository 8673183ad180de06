package io.surveycast.history;

import static io.surveycast.db.Tables.CONTACT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.support.ApiServer;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An account's figures against figures this test computes from the answers it writes: one voice
 * per contact (its latest answer in the period), contacts of another account and answers outside
 * the period left out, the same per quarter; the API for viewers and the page.
 */
class AccountsTest {
    record Written(String contact, String account, int score, Instant at) {
    }

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    private final List<Written> written = new ArrayList<>();

    @Test
    void npsOverTheLatestAnswerOfEachContactInThePeriodAndByQuarter() throws Exception {
        ApiServer.seed(db.dsl()); // c1..c3 have no account
        Fixtures.contacts(db.dsl(), ApiServer.CLOCK, """
                external_id,email,name,account
                a1,a1@example.com,Ann Acme,acme
                a2,a2@example.com,Al Acme,acme
                a3,a3@example.com,Ava Acme,acme
                a4,a4@example.com,Abe Acme,acme
                a5,a5@example.com,Amy Acme,acme
                g1,g1@example.com,Gus Globex,globex
                """);
        db.dsl().execute("update contact set attributes = attributes || jsonb_build_object('region', "
                + "case when external_id in ('a1', 'a2', 'a5') then 'emea' else 'amer' end) where external_id like 'a%'");
        HistoryRows rows = new HistoryRows(db.dsl());
        // the default period is the 90 days up to 2027-01-15 (ApiServer's clock): 2026-10-18 .. 2027-01-15
        answer(rows, "a1", "acme", 3, "2026-11-01T10:00:00Z");
        answer(rows, "a1", "acme", 10, "2026-12-20T10:00:00Z");   // a1's latest in the period: a promoter, not a detractor
        answer(rows, "a2", "acme", 7, "2027-01-15T23:00:00Z");    // the last day counts whole
        answer(rows, "a3", "acme", 0, "2026-10-18T00:00:00Z");    // the first day too
        answer(rows, "a3", "acme", 9, "2026-10-17T23:59:59Z");    // the day before: only in its quarter
        answer(rows, "a4", "acme", 10, "2026-06-01T10:00:00Z");   // before the period
        answer(rows, "a4", "acme", 2, "2026-05-01T10:00:00Z");
        answer(rows, "g1", "globex", 0, "2026-12-01T10:00:00Z");  // another account
        answer(rows, "c1", null, 0, "2026-12-02T10:00:00Z");       // no account

        try (ApiServer server = new ApiServer(db)) {
            HttpResponse<String> answer = server.get("/api/accounts/acme", Role.VIEWER);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode a = ApiServer.body(answer);
            assertThat(a.path("from").asText()).isEqualTo("2026-10-18");
            assertThat(a.path("to").asText()).isEqualTo("2027-01-15");
            Map<String, Written> latest = expectedLatest("acme", LocalDate.parse("2026-10-18"), LocalDate.parse("2027-01-15"));
            assertThat(latest).hasSize(3);
            assertFigures(a, latest.values());

            Map<String, Integer> scores = new HashMap<>();
            a.path("contacts").forEach(c -> scores.put(c.path("external_id").asText(),
                    c.path("score").isNull() ? null : c.path("score").asInt()));
            assertThat(scores.keySet()).containsExactlyInAnyOrder("a1", "a2", "a3", "a4", "a5");
            latest.forEach((contact, w) -> assertThat(scores.get(contact)).as(contact).isEqualTo(w.score()));
            assertThat(scores.get("a4")).as("no answer in the period").isNull();
            assertThat(scores.get("a5")).isNull();

            JsonNode quarters = a.path("quarters");
            assertThat(quarters).hasSize(Accounts.QUARTERS);
            assertThat(quarters.get(quarters.size() - 1).path("quarter").asText()).isEqualTo("2027-Q1");
            for (JsonNode q : quarters) {
                LocalDate from = LocalDate.parse(q.path("from").asText());
                LocalDate to = LocalDate.parse(q.path("to").asText());
                assertFigures(q, expectedLatest("acme", from, to).values());
            }
            JsonNode q4 = quarters.get(quarters.size() - 2);
            assertThat(q4.path("quarter").asText()).isEqualTo("2026-Q4");
            assertThat(q4.path("responded").asInt()).as("a1, a3 in 2026-Q4").isEqualTo(2);

            JsonNode other = ApiServer.body(server.get("/api/accounts/acme?from=2026-05-01&to=2026-06-30", Role.VIEWER));
            assertFigures(other, expectedLatest("acme", LocalDate.parse("2026-05-01"), LocalDate.parse("2026-06-30")).values());
            assertThat(other.path("promoters_count").asInt()).as("a4's 10 of June, after its 2 of May").isEqualTo(1);
            assertThat(other.path("detractors_count").asInt()).isZero();

            JsonNode globex = ApiServer.body(server.get("/api/accounts/globex", Role.VIEWER));
            assertFigures(globex, expectedLatest("globex", LocalDate.parse("2026-10-18"), LocalDate.parse("2027-01-15")).values());
            assertThat(globex.path("nps").asDouble()).isEqualTo(-100.0);

            assertThat(server.get("/api/accounts/nosuch", Role.VIEWER).statusCode()).isEqualTo(404);
            assertThat(server.get("/api/accounts/acme?from=2027-01-02&to=2027-01-01", Role.VIEWER).statusCode()).isEqualTo(400);
            assertThat(server.get("/api/accounts/acme?from=yesterday", Role.VIEWER).statusCode()).isEqualTo(400);
            assertThat(server.get("/api/accounts/acme", null).statusCode()).isEqualTo(401);

            HttpClient viewer = ContactHistoryTest.signedIn(server.base, server.tokens.get(Role.VIEWER));
            String page = viewer.send(ContactHistoryTest.get(server.base + "/accounts/acme"), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(page).contains("id=\"account-nps\">" + a.path("nps").asDouble() + "<")
                    .contains("href=\"/contacts/a1\"").contains("href=\"/contacts/a5\"").doesNotContain("/contacts/g1");
            assertThat(viewer.send(ContactHistoryTest.get(server.base + "/accounts/nosuch"), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(404);
            assertThat(viewer.send(ContactHistoryTest.get(server.base + "/accounts/acme?from=x"), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(400);
            theSegmentFilterKeepsTheSegmentsContactsOnly(viewer, server.base);
            String contact = viewer.send(ContactHistoryTest.get(server.base + "/contacts/a1"), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(contact).contains("href=\"/accounts/acme\"");
        }
    }

    @Test
    void theAccountAttributeIsASetting() {
        Fixtures.contacts(db.dsl(), ApiServer.CLOCK, """
                external_id,email,company,account
                x1,x1@example.com,initech,acme
                x2,x2@example.com,initech,
                """);
        Fixtures.campaign(db.dsl(), ApiServer.CLOCK, """
                key: welcome
                name: welcome
                trigger: {type: event, event: signed}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                """);
        HistoryRows rows = new HistoryRows(db.dsl());
        rows.answer("welcome", "x1", 10, null, "2027-01-10T10:00:00Z");
        rows.answer("welcome", "x2", 4, null, "2027-01-11T10:00:00Z");
        var byCompany = new Accounts(db.dsl(), ApiServer.CLOCK, "company", () -> { }).of("initech", null, null).orElseThrow();
        assertThat(byCompany.contacts()).hasSize(2);
        assertThat(byCompany.figures().nps()).isEqualTo(0.0);
        assertThat(new Accounts(db.dsl(), ApiServer.CLOCK, "company", () -> { }).of("acme", null, null)).isEmpty();
        assertThat(new Accounts(db.dsl(), ApiServer.CLOCK, "account", () -> { }).of("acme", null, null).orElseThrow().figures().nps())
                .isEqualTo(100.0);
    }

    /** The page with where=attr:region=emea: the figures, contacts and links of a1, a2 and a5 only, as the raw rows have them. */
    private void theSegmentFilterKeepsTheSegmentsContactsOnly(HttpClient viewer, String base) throws Exception {
        List<String> emea = db.dsl().select(CONTACT.EXTERNAL_ID).from(CONTACT)
                .where(org.jooq.impl.DSL.field("{0} ->> 'region'", String.class, CONTACT.ATTRIBUTES).eq("emea"))
                .fetch(CONTACT.EXTERNAL_ID);
        assertThat(emea).containsExactlyInAnyOrder("a1", "a2", "a5");
        Map<String, Written> latest = new HashMap<>(expectedLatest("acme", LocalDate.parse("2026-10-18"), LocalDate.parse("2027-01-15")));
        latest.keySet().retainAll(emea);
        long promoters = latest.values().stream().filter(w -> w.score() >= 9).count();
        long detractors = latest.values().stream().filter(w -> w.score() <= 6).count();
        double nps = BigDecimal.valueOf(100.0 * (promoters - detractors) / latest.size()).setScale(1, RoundingMode.HALF_UP).doubleValue();

        String page = viewer.send(ContactHistoryTest.get(base + "/accounts/acme?where=attr%3Aregion%3Demea"),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("id=\"account-nps\">" + nps + "<").contains("and with region = emea")
                .contains("<option value=\"attr:region=emea\" selected>")
                .contains("href=\"/contacts/a1\"").contains("href=\"/contacts/a5\"").doesNotContain("href=\"/contacts/a3\"")
                .contains("href=\"/accounts/acme?from=2026-10-18&amp;to=2027-01-15&amp;where=attr%3Aregion%3Demea&amp;download=contacts\"");
        List<String> csv = viewer.send(ContactHistoryTest.get(base + "/accounts/acme?where=attr%3Aregion%3Demea&download=contacts"),
                HttpResponse.BodyHandlers.ofString()).body().lines().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList();
        assertThat(csv).containsExactlyInAnyOrderElementsOf(emea);
        assertThat(viewer.send(ContactHistoryTest.get(base + "/accounts/acme?where=region"), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(400);
    }

    private void answer(HistoryRows rows, String contact, String account, int score, String at) {
        rows.answer("welcome", contact, score, null, at);
        written.add(new Written(contact, account, score, Instant.parse(at)));
    }

    /** Each contact's latest written answer within [from, to] (UTC days), the plain way. */
    private Map<String, Written> expectedLatest(String account, LocalDate from, LocalDate to) {
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<String, Written> latest = new HashMap<>();
        for (Written w : written) {
            if (account.equals(w.account()) && !w.at().isBefore(start) && w.at().isBefore(end)
                    && (!latest.containsKey(w.contact()) || latest.get(w.contact()).at().isBefore(w.at()))) {
                latest.put(w.contact(), w);
            }
        }
        return latest;
    }

    private static void assertFigures(JsonNode row, java.util.Collection<Written> latest) {
        long promoters = latest.stream().filter(w -> w.score() >= 9).count();
        long detractors = latest.stream().filter(w -> w.score() <= 6).count();
        long passives = latest.size() - promoters - detractors;
        assertThat(row.path("responded").asInt()).as(row.toString()).isEqualTo(latest.size());
        assertThat(row.path("promoters_count").asLong()).isEqualTo(promoters);
        assertThat(row.path("passives_count").asLong()).isEqualTo(passives);
        assertThat(row.path("detractors_count").asLong()).isEqualTo(detractors);
        if (latest.isEmpty()) {
            assertThat(row.path("nps").isNull()).isTrue();
        } else {
            assertThat(row.path("nps").asDouble()).isEqualTo(BigDecimal.valueOf(100.0 * (promoters - detractors) / latest.size())
                    .setScale(1, RoundingMode.HALF_UP).doubleValue());
        }
    }
}
