package io.surveycast.digest;

import static io.surveycast.db.Tables.NOTIFICATION;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.surveycast.channel.Channels;
import io.surveycast.channel.TemplateStore;
import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import io.surveycast.report.Reports;
import io.surveycast.response.NotificationSender;
import io.surveycast.response.ResponseNotices;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.HookReceiver;
import io.surveycast.support.MutableClock;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one database (each its own connection pool, digests and outbox sender) look for due
 * digests at the same instant, again and again: each digest goes out once per period to each
 * recipient, and a failing webhook is retried, never dropped or doubled.
 */
class DigestNodesTest {
    private static final Instant MONDAY = Instant.parse("2027-04-12T06:00:00Z"); // 08:00 in Paris

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    @TempDir
    Path dir;
    GreenMail smtp;
    HookReceiver slack;
    final MutableClock clock = new MutableClock(Instant.parse("2027-04-01T00:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        slack = new HookReceiver();
    }

    @AfterEach
    void stop() {
        slack.close();
        smtp.stop();
    }

    private record Node(Database database, Digests digests, NotificationSender sender, Channels channels) implements AutoCloseable {
        @Override
        public void close() {
            channels.close();
            database.close();
        }
    }

    private Node node(Settings settings) {
        Database database = Database.open(settings, 4);
        TemplateStore templates = new TemplateStore(Optional.empty());
        Digests digests = Digests.of(settings, database.dsl(), clock, new Reports(database.dsl()), templates);
        Channels channels = Channels.fromSettings(settings, database.dsl(), clock, new io.surveycast.devmode.DevModeChannels());
        NotificationSender sender = new NotificationSender(database.dsl(), clock, ResponseNotices.fromSettings(settings),
                channels.email(), templates, null, channels.mailFrom(), io.surveycast.config.OutgoingUrls.fromSettings(settings));
        return new Node(database, digests, sender, channels);
    }

    @Test
    void twoNodesSendEachDigestOncePerPeriod() throws Exception {
        Settings settings = db.settings(Map.of("SURVEYCAST_SMTP_HOST", "127.0.0.1",
                "SURVEYCAST_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()), "SURVEYCAST_SMTP_TLS", "none",
                "SURVEYCAST_WEBHOOK_ALLOW_PRIVATE", "true"));
        Path yaml = Files.writeString(dir.resolve("d.yaml"), """
                digest: weekly-leadership
                cron: "0 0 8 ? * MON"
                timezone: Europe/Paris
                to: [ceo@acme.example, coo@acme.example, %s]
                """.formatted(slack.url("/slack")));
        slack.answer(500); // the webhook fails at first: retried, not lost
        try (Node a = node(settings); Node b = node(settings)) {
            a.digests().apply(List.of(yaml), false, "test");
            ExecutorService pool = Executors.newFixedThreadPool(2);
            int failedPosts = -1;
            try {
                // every few minutes of a Monday morning and the next week's, both nodes scan and send at once
                for (Instant at = MONDAY.minus(Duration.ofMinutes(10)); at.isBefore(MONDAY.plus(Duration.ofDays(8)));
                     at = at.plus(at.isBefore(MONDAY.plus(Duration.ofHours(1))) ? Duration.ofMinutes(5) : Duration.ofHours(12))) {
                    clock.set(at);
                    if (failedPosts < 0 && at.isAfter(MONDAY.plus(Duration.ofMinutes(30)))) {
                        failedPosts = slack.received("/slack").size();
                        slack.answer(200);
                    }
                    Instant now = at;
                    both(pool, () -> a.digests().queueDue(now), () -> b.digests().queueDue(now));
                    both(pool, () -> a.sender().sendDueAt(now, "digest"), () -> b.sender().sendDueAt(now, "digest"));
                }
            } finally {
                pool.shutdownNow();
            }
            var posts = slack.received("/slack");
            assertThat(failedPosts).as("the first post failed, and was tried again").isGreaterThanOrEqualTo(2);
            assertThat(posts.subList(0, failedPosts)).allSatisfy(p -> assertThat(p.body()).contains("2027-04-05 to 2027-04-11"));
            assertThat(posts.subList(failedPosts, posts.size()).stream().map(p -> p.body().contains("2027-04-05 to 2027-04-11")))
                    .as("once it is taken: the first week once more, then the second week once").containsExactly(true, false);
        }
        assertThat(db.dsl().fetchCount(db.dsl().selectFrom("digest_run"))).as("two Mondays").isEqualTo(2);
        assertThat(db.dsl().selectFrom(NOTIFICATION).where(NOTIFICATION.EVENT.eq("digest")).fetch())
                .hasSize(6).allSatisfy(n -> assertThat(n.getStatus()).isEqualTo("sent"));
        assertThat(smtp.waitForIncomingEmail(5_000, 4)).isTrue();
        List<String> to = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            to.add(m.getAllRecipients()[0].toString() + " " + m.getSubject().replaceAll(".* for ", ""));
        }
        assertThat(to).containsExactlyInAnyOrder(
                "ceo@acme.example 2027-04-05 to 2027-04-11", "coo@acme.example 2027-04-05 to 2027-04-11",
                "ceo@acme.example 2027-04-12 to 2027-04-18", "coo@acme.example 2027-04-12 to 2027-04-18");
        assertThat(Arrays.stream(smtp.getReceivedMessages()).map(DigestScheduleTest::subjectOf))
                .allSatisfy(s -> assertThat(s).startsWith("weekly-leadership: NPS -"));
    }

    private static void both(ExecutorService pool, Callable<Integer> first, Callable<Integer> second) throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        Future<Integer> one = pool.submit(() -> {
            together.await();
            return first.call();
        });
        Future<Integer> two = pool.submit(() -> {
            together.await();
            return second.call();
        });
        one.get();
        two.get();
    }
}
