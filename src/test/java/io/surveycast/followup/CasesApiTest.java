package io.surveycast.followup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.surveycast.support.ApiServer;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.HookReceiver;
import io.surveycast.user.Role;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cases API on a served surveycast: viewers read the queue, ops assign (the new owner gets an
 * email through GreenMail), note and close; bad input is a problem document and changes nothing;
 * case webhooks arrive signed.
 */
class CasesApiTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    GreenMail smtp;
    HookReceiver hooks;
    ApiServer server;

    @BeforeEach
    void serve() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        hooks = new HookReceiver();
        ApiServer.seed(db.dsl()); // detractors: c2 (3, 2026-11-05) and c1 (0, 2026-12-20), both past 48 h at the clock
        server = new ApiServer(db, Map.of(
                "SURVEYCAST_SMTP_HOST", "127.0.0.1",
                "SURVEYCAST_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()),
                "SURVEYCAST_SMTP_TLS", "none",
                "SURVEYCAST_MAIL_FROM", "Acme Surveys <surveys@acme.example>",
                "SURVEYCAST_WEBHOOK_URLS", hooks.url("/hooks"),
                "SURVEYCAST_WEBHOOK_SECRET", "s3cret",
                "SURVEYCAST_WEBHOOK_ALLOW_PRIVATE", "true"));
    }

    @AfterEach
    void stop() {
        server.close();
        hooks.close();
        smtp.stop();
    }

    @Test
    void viewersReadTheQueueAndOpsAssignNoteAndClose() throws Exception {
        HttpResponse<String> listed = server.get("/api/cases", Role.VIEWER);
        assertThat(listed.statusCode()).isEqualTo(200);
        JsonNode queue = ApiServer.body(listed);
        assertThat(queue).hasSize(2);
        assertThat(queue.get(0).get("external_id").asText()).as("the most overdue first").isEqualTo("c2");
        assertThat(queue.get(1).get("external_id").asText()).isEqualTo("c1");
        List<String> fields = new ArrayList<>();
        queue.get(0).fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "response_id", "external_id", "campaign", "category", "score", "comment",
                "owner", "status", "opened_at", "due_at", "first_action_at", "closed_at", "close_reason", "notes");
        assertThat(queue.get(0).get("due_at").asText()).isEqualTo("2026-11-07T10:00:00Z");
        assertThat(queue.get(0).get("comment").asText()).isEqualTo("support was slow, 100% annoying");
        long id = queue.get(0).get("id").asLong();

        HttpResponse<String> assigned = server.json("PATCH", "/api/cases/" + id, Role.OPS,
                "{\"owner\":\"lea@acme.example\",\"status\":\"in_progress\"}");
        assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);
        assertThat(ApiServer.body(assigned).get("owner").asText()).isEqualTo("lea@acme.example");
        assertThat(ApiServer.body(assigned).get("status").asText()).isEqualTo("in_progress");
        assertThat(ApiServer.body(assigned).get("first_action_at").asText()).isEqualTo(ApiServer.CLOCK.instant().toString());
        assertThat(smtp.waitForIncomingEmail(15_000, 1)).as("the new owner is told").isTrue();
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("lea@acme.example");
        assertThat(mail.getSubject()).isEqualTo("Follow-up case assigned to you: Bob scored 3/10");
        assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(mail)).contains("ops-user");

        HttpResponse<String> noted = server.json("POST", "/api/cases/" + id + "/notes", Role.OPS,
                "{\"text\":\"Called, left a voicemail\"}");
        assertThat(noted.statusCode()).as(noted.body()).isEqualTo(201);
        JsonNode note = ApiServer.body(noted).get("notes").get(0);
        assertThat(note.get("author").asText()).isEqualTo("ops-user");
        assertThat(note.get("text").asText()).isEqualTo("Called, left a voicemail");

        HttpResponse<String> noReason = server.json("PATCH", "/api/cases/" + id, Role.OPS, "{\"status\":\"closed\"}");
        assertThat(noReason.statusCode()).isEqualTo(422);
        assertThat(noReason.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(ApiServer.body(noReason).get("errors").get(0).get("field").asText()).isEqualTo("close_reason");
        assertThat(ApiServer.body(server.get("/api/cases/" + id, Role.VIEWER)).get("status").asText())
                .as("nothing changed").isEqualTo("in_progress");

        HttpResponse<String> closed = server.json("PATCH", "/api/cases/" + id, Role.OPS,
                "{\"status\":\"closed\",\"close_reason\":\"refund agreed\"}");
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
        assertThat(ApiServer.body(closed).get("close_reason").asText()).isEqualTo("refund agreed");
        assertThat(server.json("PATCH", "/api/cases/" + id, Role.OPS, "{\"status\":\"closed\",\"close_reason\":\"again\"}")
                .statusCode()).as("closed already").isEqualTo(409);
        assertThat(ApiServer.body(server.get("/api/cases", Role.VIEWER))).as("the queue").hasSize(1);
        assertThat(ApiServer.body(server.get("/api/cases?status=closed", Role.VIEWER))).hasSize(1);

        waitFor(() -> events().contains("case.closed"));
        assertThat(events()).isSubsetOf("case.opened", "case.overdue", "case.closed"); // overdue: when the 30 s timer runs
        assertThat(events().stream().filter("case.opened"::equals)).hasSize(2);
        assertThat(events().stream().filter("case.closed"::equals)).hasSize(1);
        assertThat(hooks.received("/hooks")).allSatisfy(r -> assertThat(r.header("X-Surveycast-Signature")).startsWith("sha256="));

        // measuring the loop: the report's figures per owner, from the cases as the API lists them
        HttpResponse<String> reported = server.get("/api/cases/report?by=owner", Role.VIEWER);
        assertThat(reported.statusCode()).as(reported.body()).isEqualTo(200);
        JsonNode rows = ApiServer.body(reported);
        JsonNode all = ApiServer.body(server.get("/api/cases?status=all", Role.VIEWER));
        assertThat(rows).hasSize(2);
        assertThat(rows).as("c2 answered 3 to welcome, then 9 to renewal: recovered across campaigns")
                .anySatisfy(r -> assertThat(r.get("recovered").asLong()).isEqualTo(1));
        for (JsonNode row : rows) {
            String owner = row.get("group").asText();
            List<JsonNode> mine = new ArrayList<>();
            all.forEach(c -> {
                if (owner.equals(c.get("owner").isNull() ? "(unassigned)" : c.get("owner").asText())) {
                    mine.add(c);
                }
            });
            assertThat(mine).as(owner).hasSize(1);
            JsonNode c = mine.getFirst();
            boolean isClosed = c.get("status").asText().equals("closed");
            java.time.Instant opened = java.time.Instant.parse(c.get("opened_at").asText());
            java.time.Instant due = java.time.Instant.parse(c.get("due_at").asText());
            assertThat(row.get("opened").asLong()).isEqualTo(1);
            assertThat(row.get("closed").asLong()).isEqualTo(isClosed ? 1 : 0);
            assertThat(row.get("open").asLong()).isEqualTo(isClosed ? 0 : 1);
            assertThat(row.get("overdue").asLong()).isEqualTo(!isClosed && !due.isAfter(ApiServer.CLOCK.instant()) ? 1 : 0);
            assertThat(row.get("closed_within_due").asDouble())
                    .isEqualTo(isClosed && !java.time.Instant.parse(c.get("closed_at").asText()).isAfter(due) ? 100.0 : 0.0);
            assertThat(row.get("median_hours_to_first_action").isNull()).isEqualTo(c.get("first_action_at").isNull());
            if (isClosed) {
                double hours = java.time.Duration.between(opened, java.time.Instant.parse(c.get("closed_at").asText())).toSeconds() / 3600.0;
                assertThat(row.get("median_hours_to_close").asDouble()).isCloseTo(hours, org.assertj.core.data.Offset.offset(0.05));
            }
            // recovery: the contact's next answer to another invitation (any campaign), from its history
            JsonNode history = ApiServer.body(server.get("/api/contacts/" + c.get("external_id").asText() + "/history", Role.OPS))
                    .get("responses");
            JsonNode answer = null;
            JsonNode next = null;
            for (JsonNode r : history) {
                if (r.get("id").asLong() == c.get("response_id").asLong()) {
                    answer = r;
                }
            }
            for (JsonNode r : history) {
                if (r.get("invitation_id").asLong() != answer.get("invitation_id").asLong()
                        && r.get("received_at").asText().compareTo(answer.get("received_at").asText()) > 0
                        && (next == null || r.get("received_at").asText().compareTo(next.get("received_at").asText()) < 0)) {
                    next = r;
                }
            }
            boolean resurveyed = answer.get("score").asInt() <= 6 && next != null;
            boolean recovered = resurveyed && next.get("score").asInt() >= 7;
            assertThat(row.get("detractors_resurveyed").asLong()).as(owner).isEqualTo(resurveyed ? 1 : 0);
            assertThat(row.get("recovered").asLong()).as(owner).isEqualTo(recovered ? 1 : 0);
            if (resurveyed) {
                assertThat(row.get("recovery_rate").asDouble()).isEqualTo(recovered ? 100.0 : 0.0);
            } else {
                assertThat(row.get("recovery_rate").isNull()).isTrue();
            }
        }
        HttpResponse<String> bad = server.get("/api/cases/report?by=team", Role.VIEWER);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(ApiServer.body(bad).get("detail").asText()).isEqualTo("by: expected owner, campaign or category, got team");
        assertThat(ApiServer.body(server.get("/api/cases/report?from=2027-02-01&to=2027-01-01", Role.VIEWER)).get("detail").asText())
                .isEqualTo("to: 2027-01-01 is before from 2027-02-01");
        assertThat(ApiServer.body(server.get("/api/cases/report?from=01/02/2027", Role.VIEWER)).get("detail").asText())
                .isEqualTo("from: not a date (YYYY-MM-DD): 01/02/2027");
        assertThat(ApiServer.body(server.get("/api/cases/report?from=2027-01-16", Role.VIEWER))).as("none opened since").isEmpty();
    }

    @Test
    void badInputIsAProblemDocumentAndChangesNothing() throws Exception {
        long id = ApiServer.body(server.get("/api/cases", Role.VIEWER)).get(0).get("id").asLong();
        assertThat(server.get("/api/cases?status=bogus", Role.VIEWER).statusCode()).isEqualTo(400);
        assertThat(server.get("/api/cases?limit=0", Role.VIEWER).statusCode()).isEqualTo(400);
        assertThat(server.get("/api/cases/abc", Role.VIEWER).statusCode()).isEqualTo(404);
        assertThat(server.get("/api/cases/424242", Role.VIEWER).statusCode()).isEqualTo(404);
        assertThat(server.json("PATCH", "/api/cases/" + id, Role.OPS, "{\"colour\":\"red\"}").statusCode()).isEqualTo(422);
        assertThat(server.json("PATCH", "/api/cases/" + id, Role.OPS, "{\"status\":\"done\"}").statusCode()).isEqualTo(422);
        assertThat(server.json("PATCH", "/api/cases/" + id, Role.OPS, "{\"owner\":42}").statusCode()).isEqualTo(422);
        assertThat(server.json("PATCH", "/api/cases/" + id, Role.OPS,
                "{\"status\":\"closed\",\"close_reason\":\"score_changed\"}").statusCode()).isEqualTo(422);
        assertThat(server.json("PATCH", "/api/cases/" + id, Role.OPS, "not json").statusCode()).isEqualTo(400);
        assertThat(server.json("POST", "/api/cases/" + id + "/notes", Role.OPS, "{\"text\":\"  \"}").statusCode()).isEqualTo(422);
        assertThat(server.json("POST", "/api/cases/" + id + "/notes", Role.OPS,
                "{\"text\":\"" + "x".repeat(5001) + "\"}").statusCode()).isEqualTo(422);
        JsonNode unchanged = ApiServer.body(server.get("/api/cases/" + id, Role.VIEWER));
        assertThat(unchanged.get("status").asText()).isEqualTo("open");
        assertThat(unchanged.get("owner").isNull()).isTrue();
        assertThat(unchanged.get("first_action_at").isNull()).isTrue();
        assertThat(unchanged.get("notes")).isEmpty();
    }

    private List<String> events() {
        return hooks.received("/hooks").stream().map(r -> r.header("X-Surveycast-Event")).toList();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertThat(condition.getAsBoolean()).as("in time").isTrue();
    }
}
