package io.surveycast.cli;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** plan, run-due and forecast on the example campaigns and contacts, as a user runs them. */
class SchedulingCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    // the first Tuesday of April 2027, just after the quarterly wave fired (10:00 in New York)
    private static final String WAVE = "2027-04-06T14:00:00Z";

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @BeforeEach
    void exampleData() {
        assertThat(CliRun.run(db.settings(), "campaigns", "apply", "campaigns").exitCode()).isZero();
        CliRun imported = CliRun.run(db.settings(), "contacts", "import", "docs/examples/contacts.csv");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
    }

    @Test
    void planDryRunPrintsCountsPerChannelAndReasonAndStoresNothing() throws Exception {
        CliRun table = CliRun.run(db.settings(), "plan", "quarterly-nps", "--at", WAVE, "--dry-run");
        CliRun json = CliRun.run(db.settings(), "plan", "quarterly-nps", "--at", WAVE, "--dry-run", "--format", "json");

        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).contains("plan quarterly-nps at " + WAVE + " (dry run: nothing stored)")
                .containsPattern("invite +email \\d+, sms \\d+").containsPattern("defer +send_window \\d+");
        JsonNode plan = JSON.readTree(json.out());
        assertThat(plan.get("campaign").asText()).isEqualTo("quarterly-nps");
        assertThat(plan.get("at").asText()).isEqualTo(WAVE);
        long invited = plan.get("invite").get("email").asLong() + plan.get("invite").get("sms").asLong();
        // 15 of the 120 contacts are due for a higher-priority renewal or onboarding survey within 90 days:
        // the wave gives way to them (priority look-ahead)
        assertThat(invited).isEqualTo(105);
        assertThat(plan.get("skip").get("fatigue").asLong()).isEqualTo(15);
        assertThat(plan.get("defer").get("send_window").asLong()).isPositive();
        assertThat(db.dsl().fetchCount(INVITATION)).isZero();
    }

    @Test
    void planExplainsOneContact() {
        CliRun run = CliRun.run(db.settings(), "plan", "quarterly-nps", "--at", WAVE, "--dry-run", "--explain", "c0003");

        assertThat(run.out()).contains("contact c0003: time zone America/New_York (contact)")
                .contains("* quarterly-nps wave:2027-04-06: planned by email, invite at");
        CliRun unknown = CliRun.run(db.settings(), "plan", "quarterly-nps", "--at", WAVE, "--dry-run", "--explain", "nobody");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("--explain: no contact with external_id nobody");
    }

    @Test
    void runDueStoresWhatPlanShowedAndIsIdempotent() throws Exception {
        JsonNode dry = JSON.readTree(CliRun.run(db.settings(), "plan", "quarterly-nps", "--at", WAVE, "--dry-run",
                "--format", "json").out());

        CliRun first = CliRun.run(db.settings(), "run-due", "--at", WAVE, "--format", "json");
        CliRun second = CliRun.run(db.settings(), "run-due", "--at", WAVE, "--format", "json");

        JsonNode done = JSON.readTree(first.out());
        assertThat(done.get("invite")).isEqualTo(dry.get("invite"));
        // what was due at WAVE went out (captured: no SMTP host, no Twilio account); the rest waits
        long dueAtWave = db.dsl().fetchCount(MESSAGE, MESSAGE.NOT_BEFORE.le(java.time.OffsetDateTime.parse(WAVE)));
        assertThat(done.get("sent").get("email").asLong() + done.get("sent").get("sms").asLong()).isEqualTo(dueAtWave);
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("sent"))).isEqualTo(dueAtWave);
        assertThat(db.dsl().fetchCount(io.surveycast.db.Tables.DEV_CAPTURE)).isEqualTo(dueAtWave);
        assertThat(JSON.readTree(second.out()).get("invite").get("email").asLong()).isZero();
        assertThat(JSON.readTree(second.out()).get("sent").get("email").asLong()).isZero();
        assertThat(db.dsl().fetchCount(MESSAGE)).isEqualTo(105);
    }

    @Test
    void runDueSimulatesWeeksInOneProcessAndForecastWritesNothing() throws Exception {
        CliRun forecast = CliRun.run(db.settings(), "forecast", "--at", "2027-04-01T00:00:00Z", "--days", "14",
                "--format", "json");
        assertThat(forecast.exitCode()).as(forecast.err()).isZero();
        JsonNode days = JSON.readTree(forecast.out());
        assertThat(days).hasSize(14);
        long forecastInvites = 0;
        for (JsonNode day : days) {
            forecastInvites += day.get("invite").get("email").asLong() + day.get("invite").get("sms").asLong();
        }
        // 105 of the quarterly wave, and a renewal survey that the wave left room for
        assertThat(forecastInvites).isEqualTo(106);
        assertThat(db.dsl().fetchCount(INVITATION)).as("forecast stores nothing").isZero();

        CliRun simulated = CliRun.run(db.settings(), "run-due", "--at", "2027-04-01T00:00:00Z",
                "--until", "2027-04-15T00:00:00Z", "--step", "PT6H", "--format", "json");
        JsonNode total = JSON.readTree(simulated.out());
        // and a second renewal survey, planned on the last run for April 15th 07:00, after the forecast's 14 days
        assertThat(total.get("invite").get("email").asLong() + total.get("invite").get("sms").asLong()).isEqualTo(107);
        assertThat(db.dsl().fetchCount(INVITATION.join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID)),
                CAMPAIGN.KEY.eq("renewal-nps").and(INVITATION.STATUS.in("planned", "sent")))).as("one sent, one still to come")
                .isEqualTo(2);
        assertThat(db.dsl().fetchCount(INVITATION, INVITATION.SKIP_REASON.eq("fatigue").and(INVITATION.CAMPAIGN_ID.ne(
                db.dsl().select(CAMPAIGN.ID).from(CAMPAIGN).where(CAMPAIGN.KEY.eq("quarterly-nps"))))))
                .as("no higher-priority survey lost to the wave").isZero();
        assertThat(total.get("remind").get("email").asLong()).as("reminder after 4 days").isPositive();
        long sent = total.get("sent").get("email").asLong() + total.get("sent").get("sms").asLong();
        assertThat(sent).as("every invite due by then went out, and reminders").isGreaterThan(106);
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("sent"))).isEqualTo((int) sent);
        assertThat(db.dsl().fetchCount(INVITATION, INVITATION.STATUS.eq("planned")
                .and(INVITATION.INVITE_AT.le(java.time.OffsetDateTime.parse("2027-04-15T00:00:00Z"))))).isZero();
        // no SMS outside 08:00-21:00 in the recipient's zone, and no email outside the campaign's window
        assertThat(db.dsl().fetchOne("""
                select count(*) from message m join contact c on c.id = m.contact_id
                where m.status = 'sent' and m.channel = 'sms'
                  and ((m.sent_at at time zone coalesce(c.timezone, c.phone_timezone, 'America/New_York'))::time
                       not between '08:00' and '21:00')""").get(0, Long.class)).isZero();

        CliRun table = CliRun.run(db.settings(), "forecast", "--days", "3", "--at", "2027-07-05T00:00:00Z");
        assertThat(table.outLines().get(0)).startsWith("DATE").contains("EMAIL INVITES");
        assertThat(table.outLines()).hasSize(4);
    }

    @Test
    void badInstantsAndStepsAreUsageErrors() {
        assertThat(CliRun.run(db.settings(), "run-due", "--at", "tomorrow").exitCode()).isEqualTo(2);
        assertThat(CliRun.run(db.settings(), "run-due", "--at", WAVE, "--until", "2027-01-01T00:00:00Z").exitCode()).isEqualTo(2);
        assertThat(CliRun.run(db.settings(), "run-due", "--at", WAVE, "--step", "PT1H").exitCode()).isEqualTo(2);
        assertThat(CliRun.run(db.settings(), "plan", "nope", "--dry-run").exitCode()).isEqualTo(2);
        CliRun.run(db.settings(), "campaigns", "pause", "quarterly-nps");
        CliRun paused = CliRun.run(db.settings(), "plan", "quarterly-nps", "--at", WAVE);
        assertThat(paused.exitCode()).isEqualTo(2);
        assertThat(paused.err()).contains("is paused");
    }
}
