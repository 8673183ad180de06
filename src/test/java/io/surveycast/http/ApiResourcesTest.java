package io.surveycast.http;

import static io.surveycast.db.Tables.AUDIT_LOG;
import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.report.Breakdown;
import io.surveycast.report.Reports;
import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.surveycast.support.ApiServer;

/** What each API resource does, through real HTTP on a served app. */
class ApiResourcesTest {
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

    @Test
    void contactsAreUpsertedWithTheImportsRulesAndLookedUpWithSuppressions() throws Exception {
        HttpResponse<String> created = server.json("PUT", "/api/contacts/c10", Role.OPS, """
                {"email": "Dee@EXAMPLE.com", "phone": "(415) 555-2671", "name": "Dee", "locale": "fr_CA",
                 "timezone": "America/Toronto", "onboarded_at": "2027-01-02", "renewal_date": "2027-12-31",
                 "attributes": {"plan": "pro", "seats": 40}}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).isEqualTo("{\"external_id\":\"c10\",\"status\":\"created\"}");
        JsonNode dee = ApiServer.body(server.get("/api/contacts/c10", Role.OPS));
        assertThat(dee.get("email").asText()).isEqualTo("Dee@example.com");
        assertThat(dee.get("phone").asText()).isEqualTo("+14155552671");
        assertThat(dee.get("locale").asText()).isEqualTo("fr-CA");
        assertThat(dee.get("onboarded_at").asText()).as("midnight in the contact's zone").isEqualTo("2027-01-02T05:00:00Z");
        assertThat(dee.get("attributes").toString()).isEqualTo("{\"plan\":\"pro\",\"seats\":\"40\"}");
        assertThat(dee.get("suppressions")).isEmpty();

        HttpResponse<String> same = server.json("PUT", "/api/contacts/c10", Role.OPS, "{\"name\": \"Dee\"}");
        assertThat(ApiServer.body(same).get("status").asText()).isEqualTo("unchanged");
        HttpResponse<String> updated = server.json("PUT", "/api/contacts/c10", Role.OPS,
                "{\"name\": null, \"attributes\": {\"seats\": null, \"region\": \"emea\"}}");
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(ApiServer.body(updated).get("status").asText()).isEqualTo("updated");
        dee = ApiServer.body(server.get("/api/contacts/c10", Role.OPS));
        assertThat(dee.get("name").isNull()).as("null clears a field").isTrue();
        assertThat(dee.get("email").asText()).as("a field left out is kept").isEqualTo("Dee@example.com");
        assertThat(dee.get("attributes").toString()).isEqualTo("{\"plan\":\"pro\",\"region\":\"emea\"}");

        JsonNode cy = ApiServer.body(server.get("/api/contacts/c3", Role.OPS));
        assertThat(cy.get("suppressions").get(0).get("channel").asText()).isEqualTo("email");
        assertThat(cy.get("suppressions").get(0).get("reason").asText()).isEqualTo("unsubscribed");
        HttpResponse<String> missing = server.get("/api/contacts/nobody", Role.OPS);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        for (String[] bad : new String[][] {
                {"{\"email\": \"not-an-email\"}", "email", "not a valid email address"},
                {"{\"email\": \"e@example.com\", \"phone\": \"12\"}", "phone", "not a valid phone number"},
                {"{\"email\": \"e@example.com\", \"timezone\": \"Mars/Olympus\"}", "timezone", "not an IANA time zone"},
                {"{\"email\": \"e@example.com\", \"renewal_date\": \"2027-02-30\"}", "renewal_date", "not a valid ISO-8601 date"},
                {"{\"email\": \"e@example.com\", \"locale\": \"??\"}", "locale", "not a language tag"},
                {"{\"name\": \"No Address\"}", "email", "needs an email or a phone number"},
                {"{\"email\": 42}", "email", "must be a string or null"},
                {"{\"email\": \"e@example.com\", \"plan\": \"pro\"}", "plan", "unknown field"}}) {
            HttpResponse<String> refused = server.json("PUT", "/api/contacts/c11", Role.OPS, bad[0]);
            assertThat(refused.statusCode()).as(bad[0]).isEqualTo(422);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode error = ApiServer.body(refused).get("errors").get(0);
            assertThat(error.get("field").asText()).as(bad[0]).isEqualTo(bad[1]);
            assertThat(error.get("reason").asText()).as(bad[0]).contains(bad[2]);
        }
        assertThat(server.json("PUT", "/api/contacts/c11", Role.OPS, "{\"email\": ").statusCode()).isEqualTo(400);
        assertThat(server.json("PUT", "/api/contacts/c11", Role.OPS, "{\"external_id\": \"c12\", \"email\": \"e@example.com\"}")
                .statusCode()).isEqualTo(422);
        assertThat(db.dsl().fetchCount(CONTACT, CONTACT.EXTERNAL_ID.eq("c11"))).isZero();

        HttpResponse<String> badBatch = server.json("POST", "/api/contacts", Role.OPS, """
                [{"external_id": "c20", "email": "twenty@example.com"},
                 {"external_id": "c21", "email": "bad"},
                 {"external_id": "c20", "email": "again@example.com"},
                 {"email": "anonymous@example.com"}]""");
        assertThat(badBatch.statusCode()).isEqualTo(422);
        JsonNode errors = ApiServer.body(badBatch).get("errors");
        assertThat(errors).extracting(e -> e.get("index").asInt()).containsExactly(2, 3);
        assertThat(db.dsl().fetchCount(CONTACT, CONTACT.EXTERNAL_ID.in("c20", "c21"))).as("all or nothing").isZero();
        HttpResponse<String> badField = server.json("POST", "/api/contacts", Role.OPS, """
                [{"external_id": "c20", "email": "twenty@example.com"}, {"external_id": "c21", "email": "bad"}]""");
        assertThat(ApiServer.body(badField).get("errors").get(0).toString())
                .contains("\"index\":1").contains("\"field\":\"email\"");
        assertThat(db.dsl().fetchCount(CONTACT, CONTACT.EXTERNAL_ID.in("c20", "c21"))).as("all or nothing").isZero();

        HttpResponse<String> batch = server.json("POST", "/api/contacts", Role.OPS, """
                [{"external_id": "c20", "email": "twenty@example.com"}, {"external_id": "c1", "name": "Ann B."},
                 {"external_id": "c2", "name": "Bob"}]""");
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        assertThat(ApiServer.body(batch).get("created").asInt()).isEqualTo(1);
        assertThat(ApiServer.body(batch).get("updated").asInt()).isEqualTo(1);
        assertThat(ApiServer.body(batch).get("unchanged").asInt()).isEqualTo(1);
        assertThat(db.dsl().selectDistinct(AUDIT_LOG.ACTOR).from(AUDIT_LOG).where(AUDIT_LOG.ACTION.eq("contacts.upsert"))
                .fetch(AUDIT_LOG.ACTOR)).containsExactly("api:ops-user");
    }

    @Test
    void campaignsAreAppliedFromYamlAllOrNothingPausedAndResumed() throws Exception {
        String good = """
                key: quarterly
                name: Quarterly
                trigger: {type: recurring, cron: "0 0 10 ? JAN,APR,JUL,OCT TUE#1"}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                """;
        HttpResponse<String> dry = server.call("POST", "/api/campaigns?dry_run=true", Role.OPS, "application/yaml", good);
        assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
        assertThat(dry.body()).isEqualTo("{\"dry_run\":true,\"campaigns\":[{\"key\":\"quarterly\",\"action\":\"created\"}]}");
        assertThat(db.dsl().fetchCount(CAMPAIGN, CAMPAIGN.KEY.eq("quarterly"))).isZero();

        String bad = good + """
                ---
                key: Broken Key
                name: Broken
                trigger: {type: onboarding, offset: soon}
                channels: [fax]
                question: How likely?
                templates: {email: nps-invite}
                """;
        HttpResponse<String> refused = server.call("POST", "/api/campaigns", Role.OPS, "text/yaml", bad);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        List<String> errors = new ArrayList<>();
        ApiServer.body(refused).get("errors").forEach(e -> errors.add(e.get("line").asInt() + " " + e.get("field").asText()));
        assertThat(errors).contains("8 key", "10 trigger.offset").anySatisfy(e -> assertThat(e).startsWith("11 channels"));
        assertThat(db.dsl().fetchCount(CAMPAIGN, CAMPAIGN.KEY.eq("quarterly"))).as("nothing applied").isZero();
        assertThat(server.call("POST", "/api/campaigns", Role.OPS, "application/json", "{}").statusCode()).isEqualTo(415);
        assertThat(server.call("POST", "/api/campaigns", Role.OPS, "application/yaml", "key: [").statusCode()).isEqualTo(422);

        HttpResponse<String> applied = server.call("POST", "/api/campaigns", Role.OPS, "application/yaml", good);
        assertThat(applied.body()).contains("\"action\":\"created\"").contains("\"dry_run\":false");
        assertThat(server.call("POST", "/api/campaigns", Role.OPS, "application/yaml", good).body())
                .contains("\"action\":\"unchanged\"");
        assertThat(db.dsl().fetchValue(AUDIT_LOG.ACTOR, AUDIT_LOG.ENTITY_KEY.eq("quarterly"))).isEqualTo("api:ops-user");

        HttpResponse<String> paused = server.call("POST", "/api/campaigns/quarterly/pause", Role.OPS, null, null);
        assertThat(paused.body()).isEqualTo("{\"key\":\"quarterly\",\"status\":\"paused\",\"changed\":true}");
        assertThat(server.call("POST", "/api/campaigns/quarterly/pause", Role.OPS, null, null).body()).contains("\"changed\":false");
        JsonNode list = ApiServer.body(server.get("/api/campaigns", Role.VIEWER));
        assertThat(list).anySatisfy(c -> {
            assertThat(c.get("key").asText()).isEqualTo("quarterly");
            assertThat(c.get("status").asText()).isEqualTo("paused");
            assertThat(c.get("trigger").asText()).isEqualTo("recurring");
        });
        assertThat(server.call("POST", "/api/campaigns/quarterly/resume", Role.OPS, null, null).body())
                .contains("\"status\":\"active\"");
        assertThat(db.dsl().fetchValue(CAMPAIGN.STATUS, CAMPAIGN.KEY.eq("quarterly"))).isEqualTo("active");
        assertThat(server.call("POST", "/api/campaigns/nope/pause", Role.OPS, null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void responsesAreFilteredSearchedAndPaged() throws Exception {
        assertThat(keys("/api/responses")).containsExactly("renewal c2 9", "renewal c1 0", "welcome c3 8", "welcome c2 3",
                "welcome c1 10");
        assertThat(keys("/api/responses?category=detractor")).containsExactly("renewal c1 0", "welcome c2 3");
        assertThat(keys("/api/responses?category=promoter&campaign=welcome")).containsExactly("welcome c1 10");
        assertThat(keys("/api/responses?q=SUPPORT")).as("case-insensitive")
                .containsExactly("renewal c2 9", "welcome c2 3", "welcome c1 10");
        assertThat(keys("/api/responses?q=100%25")).as("% is literal").containsExactly("welcome c2 3");
        assertThat(keys("/api/responses?q=_")).isEmpty();
        assertThat(keys("/api/responses?from=2026-11-05&to=2026-12-20")).containsExactly("renewal c1 0", "welcome c3 8",
                "welcome c2 3");
        assertThat(keys("/api/responses?from=2026-11-05T10:00:01Z")).hasSize(3);

        JsonNode first = ApiServer.body(server.get("/api/responses?limit=2", Role.VIEWER));
        JsonNode item = first.get("items").get(0);
        assertThat(item.get("score").asInt()).isEqualTo(9);
        assertThat(item.get("category").asText()).isEqualTo("promoter");
        assertThat(item.get("comment").asText()).isEqualTo("lovely product; support fine");
        assertThat(item.get("channel").asText()).isEqualTo("email");
        assertThat(item.get("received_at").asText()).isEqualTo("2027-01-03T10:00:00Z");
        assertThat(item.get("contact").toString())
                .isEqualTo("{\"external_id\":\"c2\",\"name\":\"Bob\",\"email\":\"bob@example.com\"}");
        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ApiServer.body(server.get("/api/responses?limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
                    Role.VIEWER));
            page.get("items").forEach(r -> paged.add(r.get("campaign").asText() + " " + r.get("contact").get("external_id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(paged).containsExactly("renewal c2", "renewal c1", "welcome c3", "welcome c2", "welcome c1");

        for (String bad : List.of("category=angry", "limit=0", "limit=501", "cursor=zzz", "from=yesterday",
                "from=2027-01-02&to=2027-01-01T00:00:00Z")) {
            HttpResponse<String> refused = server.get("/api/responses?" + bad, Role.VIEWER);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    @Test
    void reportsAreTheRowsOfTheReportCommand() throws Exception {
        for (String query : List.of("", "?by=campaign", "?campaign=welcome&by=month", "?from=2026-12-01&to=2026-12-31&by=attr:plan")) {
            HttpResponse<String> api = server.get("/api/reports" + query, Role.VIEWER);
            assertThat(api.statusCode()).as(query).isEqualTo(200);
            List<String> args = new ArrayList<>(List.of("report", "--format", "json"));
            for (String pair : query.isEmpty() ? new String[0] : query.substring(1).split("&")) {
                args.add("--" + pair.substring(0, pair.indexOf('=')));
                args.add(pair.substring(pair.indexOf('=') + 1));
            }
            CliRun cli = CliRun.run(db.settings(), args.toArray(String[]::new));
            assertThat(ApiServer.body(api)).as(query).isEqualTo(ApiServer.JSON.readTree(cli.out()));
        }
        JsonNode byCampaign = ApiServer.body(server.get("/api/reports?by=campaign", Role.VIEWER));
        var rows = new Reports(db.dsl()).run(null, null, null, Breakdown.parse("campaign"));
        assertThat(byCampaign).hasSize(rows.size()).hasSize(2);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(byCampaign.get(i).get("group").asText()).isEqualTo(rows.get(i).group());
            assertThat(byCampaign.get(i).get("responded").asLong()).isEqualTo(rows.get(i).responded());
            assertThat(byCampaign.get(i).get("nps").asDouble()).isEqualTo(rows.get(i).nps());
        }
        JsonNode welcome = ApiServer.body(server.get("/api/reports?campaign=welcome", Role.VIEWER)).get(0);
        assertThat(welcome.get("responded").asInt()).isEqualTo(3);
        assertThat(welcome.get("nps").asDouble()).as("(1 promoter - 1 detractor) / 3").isEqualTo(0.0);
        var dec = new Reports(db.dsl()).run(null, LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-31"), Breakdown.ALL);
        assertThat(ApiServer.body(server.get("/api/reports?from=2026-12-01&to=2026-12-31", Role.VIEWER)).get(0)
                .get("invited").asLong()).isEqualTo(dec.get(0).invited());
        assertThat(server.get("/api/reports?by=weekday", Role.VIEWER).statusCode()).isEqualTo(400);
        HttpResponse<String> unknownAttribute = server.get("/api/reports?by=attr:nosuch", Role.VIEWER);
        assertThat(unknownAttribute.statusCode()).isEqualTo(422);
        assertThat(ApiServer.body(unknownAttribute).get("detail").asText())
                .startsWith("by: attr:nosuch: unknown attribute, no contact has nosuch");
        assertThat(server.get("/api/reports?from=2026-13-01", Role.VIEWER).statusCode()).isEqualTo(400);
    }

    @Test
    void failedMessagesAreListedAndRequeued() throws Exception {
        JsonNode failed = ApiServer.body(server.get("/api/messages/failed", Role.OPS));
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("external_id").asText()).isEqualTo("c3");
        assertThat(failed.get(0).get("error").asText()).isEqualTo("SMTP 451 try later");
        long id = failed.get(0).get("message_id").asLong();
        assertThat(server.json("POST", "/api/messages/retry", Role.OPS, "{}").statusCode()).isEqualTo(422);
        assertThat(server.json("POST", "/api/messages/retry", Role.OPS, "{\"ids\": [" + id + ", 999999]}").statusCode())
                .isEqualTo(422);
        assertThat(db.dsl().fetchValue(MESSAGE.STATUS, MESSAGE.ID.eq(id))).as("nothing requeued").isEqualTo("failed");
        HttpResponse<String> one = server.call("POST", "/api/messages/" + id + "/retry", Role.OPS, null, null);
        assertThat(one.body()).isEqualTo("{\"requeued\":1,\"ids\":[" + id + "]}");
        assertThat(db.dsl().fetchValue(MESSAGE.STATUS, MESSAGE.ID.eq(id))).isEqualTo("queued");
        assertThat(server.call("POST", "/api/messages/" + id + "/retry", Role.OPS, null, null).statusCode()).isEqualTo(404);
        assertThat(server.call("POST", "/api/messages/abc/retry", Role.OPS, null, null).statusCode()).isEqualTo(404);
        assertThat(server.json("POST", "/api/messages/retry", Role.OPS, "{\"all\": true}").body())
                .isEqualTo("{\"requeued\":0,\"ids\":[]}");
    }

    @Test
    void adminsListAndAddUsersWhoseTokenIsShownOnce() throws Exception {
        HttpResponse<String> added = server.json("POST", "/api/users", Role.ADMIN, "{\"name\": \"bi-tool\", \"role\": \"viewer\"}");
        assertThat(added.statusCode()).isEqualTo(201);
        String token = ApiServer.body(added).get("token").asText();
        assertThat(token).startsWith("sc_");
        HttpResponse<String> me = server.call("GET", "/api/me", token, null, null);
        assertThat(me.body()).isEqualTo("{\"name\":\"bi-tool\",\"role\":\"viewer\"}");
        HttpResponse<String> list = server.get("/api/users", Role.ADMIN);
        assertThat(list.body()).contains("\"name\":\"bi-tool\"").doesNotContain(token).doesNotContain("token");
        assertThat(list.headers().firstValue("Cache-Control")).as("API answers are not cached").hasValue("no-store");
        assertThat(ApiServer.body(list)).hasSize(4);
        assertThat(server.json("POST", "/api/users", Role.ADMIN, "{\"name\": \"bi-tool\", \"role\": \"ops\"}").statusCode())
                .isEqualTo(409);
        HttpResponse<String> badRole = server.json("POST", "/api/users", Role.ADMIN, "{\"name\": \"x\", \"role\": \"root\"}");
        assertThat(badRole.statusCode()).isEqualTo(422);
        assertThat(ApiServer.body(badRole).get("errors").get(0).get("field").asText()).isEqualTo("role");
        assertThat(server.json("POST", "/api/users", Role.ADMIN, "{\"name\": \"a b\", \"role\": \"ops\"}").statusCode())
                .isEqualTo(422);
    }

    private List<String> keys(String path) throws Exception {
        HttpResponse<String> answer = server.get(path, Role.VIEWER);
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        List<String> keys = new ArrayList<>();
        ApiServer.body(answer).get("items").forEach(r -> keys.add(r.get("campaign").asText() + " "
                + r.get("contact").get("external_id").asText() + " " + r.get("score").asInt()));
        return keys;
    }
}
