package io.surveycast.schedule;

import static io.surveycast.db.Tables.INVITATION;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.App;
import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import io.surveycast.support.CliRun;
import io.surveycast.support.Fixtures;
import io.surveycast.support.TestDatabase;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/** serve's scheduler: Quartz on the JDBC store fires the due-scan, which plans what is due and keeps campaign triggers in line. */
class SchedulingTest {

    @Test
    void theDueScanPlansWhatIsDueAndCampaignTriggersFollowTheCampaigns() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = TestDatabase.freshUrl();
        // the first Tuesday of April 2027, 10:00 in New York: the quarterly wave fires
        Settings settings = TestDatabase.settings(url, Map.of("SURVEYCAST_HTTP_PORT", String.valueOf(port),
                "SURVEYCAST_DUE_SCAN_INTERVAL", "PT1S", "SURVEYCAST_CLOCK", "fixed:2027-04-06T14:30:00Z"));
        Clock clock = Clock.fixed(Instant.parse("2027-04-06T14:30:00Z"), ZoneOffset.UTC);
        try (Database database = TestDatabase.open(url)) {
            Fixtures.contacts(database.dsl(), clock, "external_id,email\nc1,a@example.com\nc2,b@example.com\n");
            Fixtures.examples(database.dsl(), clock);
            Main camel = App.camel(settings, database, clock);
            camel.start();
            try {
                await(() -> database.dsl().fetchCount(INVITATION) == 2, "the wave is planned by the due-scan");
                await(() -> triggers(database).contains("campaigns.quarterly-nps"), "cron trigger created");
                assertThat(triggers(database)).contains("surveycast.due-scan").doesNotContain("campaigns.onboarding-nps");

                assertThat(CliRun.run(settings, "campaigns", "pause", "quarterly-nps").exitCode()).isZero();
                await(() -> !triggers(database).contains("campaigns.quarterly-nps"), "cron trigger removed on pause");
                assertThat(CliRun.run(settings, "campaigns", "resume", "quarterly-nps").exitCode()).isZero();
                await(() -> triggers(database).contains("campaigns.quarterly-nps"), "cron trigger back on resume");
                assertThat(database.dsl().fetchCount(INVITATION)).as("nothing planned twice").isEqualTo(2);
            } finally {
                camel.stop();
            }
        }
    }

    private static java.util.List<String> triggers(Database database) {
        return database.dsl().fetch("select trigger_group || '.' || trigger_name from qrtz_triggers").getValues(0, String.class);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(200);
        }
    }
}
