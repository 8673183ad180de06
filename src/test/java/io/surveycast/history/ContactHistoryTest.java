package io.surveycast.history;

import static io.surveycast.db.Tables.SMS_INBOUND;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.support.ApiServer;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A contact's history through the API (ops) and its page (any signed-in user): every row the test
 * writes comes back, in time order, the score trend is computed from the scores written, and what
 * a respondent wrote is shown as text, never as markup.
 */
class ContactHistoryTest {
    static final String KIM = "k 1/a";
    static final String XSS = "<script>alert('x')</script> slow";

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void everyInvitationAnswerMessageAndSuppressionInTimeOrderEscapedOnThePage() throws Exception {
        Kim k = kim(db.dsl());
        HistoryRows rows = k.rows();
        long deferred = k.deferred();
        long renewal = k.renewal();
        long welcome = k.welcome();
        long skipped = k.skipped();

        try (ApiServer server = new ApiServer(db)) {
            String path = "/api/contacts/k%201%2Fa/history";
            HttpResponse<String> answer = server.get(path, Role.OPS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode h = ApiServer.body(answer);
            assertThat(h.path("contact").path("external_id").asText()).isEqualTo(KIM);
            assertThat(h.path("contact").path("account").asText()).isEqualTo("acme");
            assertThat(ids(h.path("invitations"), "id")).containsExactly(skipped, rows.invitationOf(welcome),
                    rows.invitationOf(renewal), deferred);
            JsonNode invitations = h.path("invitations");
            assertThat(invitations.get(0).path("skip_reason").asText()).isEqualTo("fatigue");
            assertThat(invitations.get(0).path("sent_at").isNull()).isTrue();
            assertThat(invitations.get(3).path("defer_reason").asText()).isEqualTo("send_window");
            assertThat(invitations.get(3).path("invite_at").asText()).isEqualTo("2027-01-20T09:00:00Z");
            assertThat(invitations.get(1).path("campaign").asText()).isEqualTo("welcome");

            JsonNode responses = h.path("responses");
            assertThat(ids(responses, "id")).containsExactly(welcome, renewal);
            assertThat(responses.get(0).path("change").isNull()).as("the first answer has no change").isTrue();
            assertThat(responses.get(1).path("change").asInt()).isEqualTo(3 - 9);
            assertThat(responses.get(1).path("comment").asText()).isEqualTo(XSS);
            List<Integer> given = new ArrayList<>();
            responses.get(1).path("answers").forEach(a -> given.add(a.path("score").asInt()));
            assertThat(given).as("the answers given, oldest first").containsExactly(8, 3);

            JsonNode messages = h.path("messages");
            List<String> shape = new ArrayList<>();
            messages.forEach(m -> shape.add(m.path("direction").asText() + " " + m.path("at").asText()));
            assertThat(shape).containsExactly("out 2026-09-01T05:00:00Z", "in 2026-12-02T08:00:00Z", "out 2026-12-03T05:00:00Z");
            assertThat(messages.get(1).path("text").asText()).isEqualTo("STOP <now>");
            assertThat(messages.get(1).path("handled_as").asText()).isEqualTo("stop");
            assertThat(messages.get(2).path("status").asText()).isEqualTo("cancelled");
            assertThat(messages.get(2).path("error").asText()).isEqualTo("fatigue");

            List<String> suppressions = new ArrayList<>();
            h.path("suppressions").forEach(s -> suppressions.add(s.path("channel").asText() + " " + s.path("reason").asText()));
            assertThat(suppressions).containsExactly("email hard_bounce", "sms stop");
            // the detractor answer opens its case (the follow-up feature's timer); a note on it shows here
            JsonNode cases = h.path("cases");
            for (int i = 0; i < 100 && cases.isEmpty(); i++) {
                Thread.sleep(100);
                cases = ApiServer.body(server.get(path, Role.OPS)).path("cases");
            }
            assertThat(ids(cases, "response_id")).as("one case, for the detractor answer").containsExactly(renewal);
            long caseId = cases.get(0).path("id").asLong();
            assertThat(server.json("POST", "/api/cases/" + caseId + "/notes", Role.OPS, "{\"text\": \"Called, will retry\"}")
                    .statusCode()).isEqualTo(201);
            JsonNode noted = ApiServer.body(server.get(path, Role.OPS)).path("cases").get(0);
            assertThat(noted.path("category").asText()).isEqualTo("detractor");
            assertThat(noted.path("notes").get(0).path("text").asText()).isEqualTo("Called, will retry");

            assertThat(server.get(path, Role.VIEWER).statusCode()).as("the history names addresses: ops").isEqualTo(403);
            assertThat(server.get(path, null).statusCode()).isEqualTo(401);
            HttpResponse<String> unknown = server.get("/api/contacts/nobody/history", Role.OPS);
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(ApiServer.body(unknown).path("detail").asText()).contains("nobody");

            HttpClient anonymous = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            assertThat(anonymous.send(get(server.base + "/contacts/c1"), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("signed-in users only").isEqualTo(303);
            HttpClient viewer = signedIn(server.base, server.tokens.get(Role.VIEWER));
            String page = viewer.send(get(server.base + "/contacts/k%201%2Fa"), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(page).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; slow").doesNotContain("<script>alert")
                    .contains("Kim &lt;b&gt;").doesNotContain("Kim <b>")
                    .contains("STOP &lt;now&gt;")
                    .contains("href=\"/accounts/acme\"")
                    .contains("skipped: fatigue").contains("deferred: send_window")
                    .contains("earlier 8: ok");
            assertThat(page.indexOf(XSS.substring(9, 14))).as("newest answer first").isLessThan(page.indexOf(">fine<"));
            assertThat(viewer.send(get(server.base + "/contacts/nobody"), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(404);

            String list = viewer.send(get(server.base + "/responses"), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(list).as("names on the response list lead to the contact").contains("href=\"/contacts/k%201%2Fa\"");
            String response = viewer.send(get(server.base + "/responses/" + renewal), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(response).contains("href=\"/contacts/k%201%2Fa\"");
        }
    }

    record Kim(HistoryRows rows, long deferred, long renewal, long welcome, long skipped) {
    }

    /** ApiServer's seed, and Kim (account acme) with an invitation of each kind, two answers, messages, a text, suppressions. */
    static Kim kim(org.jooq.DSLContext dsl) {
        ApiServer.seed(dsl);
        Fixtures.contacts(dsl, ApiServer.CLOCK, """
                external_id,email,name,account
                "k 1/a",kim@example.com,Kim <b>,acme
                """);
        HistoryRows rows = new HistoryRows(dsl);
        // written out of time order: the history orders them
        long deferred = rows.invitation("renewal", KIM, "planned", "2027-01-20T09:00:00Z", false, null, "send_window");
        long renewal = rows.answer("renewal", KIM, 3, XSS, "2026-12-01T10:00:00Z");
        rows.given(renewal, 8, "ok", "2026-12-01T09:30:00Z");
        long welcome = rows.answer("welcome", KIM, 9, "fine", "2026-09-01T10:00:00Z");
        long skipped = rows.invitation("welcome", KIM, "skipped", "2026-06-01T09:00:00Z", false, "fatigue", null);
        rows.message(rows.invitationOf(renewal), KIM, "reminder", 1, "cancelled", "2026-12-03T05:00:00Z", "fatigue");
        rows.message(rows.invitationOf(welcome), KIM, "invite", 0, "sent", "2026-09-01T05:00:00Z", null);
        long kim = ApiServer.contact(dsl, KIM);
        dsl.insertInto(SMS_INBOUND).set(SMS_INBOUND.FROM_NUMBER, "+15555550100").set(SMS_INBOUND.CONTACT_ID, kim)
                .set(SMS_INBOUND.BODY, "STOP <now>").set(SMS_INBOUND.HANDLED_AS, "stop")
                .set(SMS_INBOUND.RECEIVED_AT, OffsetDateTime.parse("2026-12-02T08:00:00Z")).execute();
        dsl.insertInto(SUPPRESSION).set(SUPPRESSION.CONTACT_ID, kim).set(SUPPRESSION.CHANNEL, "sms")
                .set(SUPPRESSION.REASON, "stop").set(SUPPRESSION.SOURCE, "twilio-keyword")
                .set(SUPPRESSION.AT, OffsetDateTime.parse("2026-12-02T08:00:00Z")).execute();
        dsl.insertInto(SUPPRESSION).set(SUPPRESSION.CONTACT_ID, kim).set(SUPPRESSION.CHANNEL, "email")
                .set(SUPPRESSION.REASON, "hard_bounce").set(SUPPRESSION.SOURCE, "dsn")
                .set(SUPPRESSION.AT, OffsetDateTime.parse("2026-10-02T08:00:00Z")).execute();
        return new Kim(rows, deferred, renewal, welcome, skipped);
    }

    static List<Long> ids(JsonNode list, String field) {
        List<Long> out = new ArrayList<>();
        list.forEach(n -> out.add(n.path(field).asLong()));
        return out;
    }

    static HttpClient signedIn(String base, String token) throws Exception {
        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(303);
        return client;
    }

    static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET().build();
    }
}
