package io.surveycast.cli;

import static io.surveycast.db.Tables.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.ScriptedSmtpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** messages export, failed and retry, as ops use them after a bad day at the mail provider. */
class MessagesCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WAVE = "2027-04-06T14:00:00Z";

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @BeforeEach
    void exampleData() {
        assertThat(CliRun.run(db.settings(), "campaigns", "apply", "campaigns").exitCode()).isZero();
        assertThat(CliRun.run(db.settings(), "contacts", "import", "docs/examples/contacts.csv").exitCode()).isZero();
    }

    static Map<String, String> smtp(int port) {
        return Map.of("SURVEYCAST_SMTP_HOST", "127.0.0.1", "SURVEYCAST_SMTP_PORT", Integer.toString(port),
                "SURVEYCAST_SMTP_TLS", "none", "SURVEYCAST_EMAIL_RATE", "0");
    }

    @Test
    void failedMessagesAreListedAndRequeuedAndTheExportTellsWhatHappened() throws Exception {
        long failed;
        try (ScriptedSmtpServer rejecting = new ScriptedSmtpServer("554 5.7.1 Service unavailable; client host blocked")) {
            CliRun run = CliRun.run(db.settings(smtp(rejecting.port())), "run-due", "--at", WAVE, "--until",
                    "2027-04-08T14:00:00Z", "--step", "PT6H", "--format", "json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            failed = JSON.readTree(run.out()).get("failed").get("email").asLong();
        }
        assertThat(failed).isPositive();

        JsonNode list = JSON.readTree(CliRun.run(db.settings(), "messages", "failed", "--format", "json").out());
        assertThat(list).hasSize((int) failed);
        assertThat(list.get(0).get("error").asText()).contains("554 5.7.1");
        assertThat(list.get(0).get("campaign").asText()).isEqualTo("quarterly-nps");
        CliRun table = CliRun.run(db.settings(), "messages", "failed");
        assertThat(table.outLines()).hasSize((int) failed + 1);
        assertThat(table.outLines().get(0)).startsWith("ID").contains("ERROR");

        CliRun bad = CliRun.run(db.settings(), "messages", "retry", list.get(0).get("message_id").asText(), "999999");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("not a failed message: 999999");
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("failed"))).as("nothing changed").isEqualTo((int) failed);
        assertThat(CliRun.run(db.settings(), "messages", "retry").exitCode()).as("--all or ids").isEqualTo(2);

        CliRun retry = CliRun.run(db.settings(), "messages", "retry", "--all");
        assertThat(retry.out().strip()).isEqualTo("requeued " + failed);

        GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        try {
            CliRun again = CliRun.run(db.settings(smtp(greenMail.getSmtp().getPort())), "run-due", "--at",
                    "2027-04-08T14:00:00Z", "--format", "json");
            JsonNode done = JSON.readTree(again.out());
            long sent = done.get("sent").get("email").asLong();
            long held = 0;
            for (JsonNode n : done.get("held")) {
                held += n.asLong();
            }
            // sent at once, or held for the recipient's send window (the checks before sending apply again)
            assertThat(sent + held).isGreaterThanOrEqualTo(failed);
            assertThat(sent).isPositive();
            assertThat(greenMail.getReceivedMessages()).hasSize((int) sent);
        } finally {
            greenMail.stop();
        }
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("failed"))).isZero();

        CliRun csv = CliRun.run(db.settings(), "messages", "export", "--to", "2027-04-09T00:00:00Z");
        List<String> lines = csv.outLines();
        assertThat(lines.get(0)).isEqualTo(
                "message_id,external_id,campaign,cycle,kind,step,channel,status,not_before,sent_at,provider_id,error");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(
                "\\d+,c\\d{4},quarterly-nps,wave:2027-04-06,invite,0,email,sent,[^,]+,2027-04-08T[^,]+,<m\\d+\\.i\\d+@localhost>,"));
        JsonNode json = JSON.readTree(CliRun.run(db.settings(), "messages", "export", "--format", "json").out());
        assertThat(json).hasSize(db.dsl().fetchCount(MESSAGE));
        assertThat(json.get(0).get("message_id").isNumber()).isTrue();
        assertThat(json).as("held for the recipient's window, the last error kept").anySatisfy(m -> {
            assertThat(m.get("status").asText()).isEqualTo("queued");
            assertThat(m.get("error").asText()).startsWith("SMTP 554 5.7.1");
        });
        assertThat(CliRun.run(db.settings(), "messages", "export", "--from", "2027-01-02T00:00:00Z", "--to",
                "2027-01-01T00:00:00Z").exitCode()).isEqualTo(2);
    }
}
