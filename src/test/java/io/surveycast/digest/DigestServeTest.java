package io.surveycast.digest;

import static io.surveycast.db.Tables.NOTIFICATION;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.App;
import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import io.surveycast.support.CliRun;
import io.surveycast.support.HookReceiver;
import io.surveycast.support.TestDatabase;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In serve, Quartz's due-scan queues a digest whose cron fired, once, and the notification route delivers it. */
class DigestServeTest {
    @TempDir
    Path dir;

    @Test
    void theDueScanSendsADigestOnceItsCronHasFired() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = TestDatabase.freshUrl();
        Instant monday = Instant.parse("2027-04-12T06:20:00Z"); // 20 minutes after 08:00 in Paris
        Settings settings = TestDatabase.settings(url, Map.of("SURVEYCAST_HTTP_PORT", String.valueOf(port),
                "SURVEYCAST_DUE_SCAN_INTERVAL", "PT1S", "SURVEYCAST_WEBHOOK_ALLOW_PRIVATE", "true"));
        try (HookReceiver slack = new HookReceiver(); Database database = TestDatabase.open(url)) {
            Path yaml = Files.writeString(dir.resolve("d.yaml"), """
                    digest: weekly-leadership
                    cron: "0 0 8 ? * MON"
                    timezone: Europe/Paris
                    to: [ceo@acme.example, %s]
                    """.formatted(slack.url("/slack")));
            CliRun applied = CliRun.run(settings, "digests", "apply", yaml.toString());
            assertThat(applied.exitCode()).as(applied.err()).isZero();
            Main camel = App.camel(settings, database, Clock.fixed(monday, ZoneOffset.UTC));
            camel.start();
            try {
                await(() -> slack.received("/slack").size() == 1, "the digest posted to the webhook");
                await(() -> database.dsl().fetchCount(NOTIFICATION, NOTIFICATION.EVENT.eq("digest")
                        .and(NOTIFICATION.STATUS.eq("sent"))) == 2, "the digest emailed (captured mail) and posted");
                Thread.sleep(3000); // three more scans
                assertThat(slack.received("/slack")).as("once per period").hasSize(1);
                assertThat(slack.received("/slack").get(0).body()).contains("2027-04-05 to 2027-04-11");
                assertThat(database.dsl().fetchCount(NOTIFICATION)).isEqualTo(2);
            } finally {
                camel.stop();
            }
        }
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
