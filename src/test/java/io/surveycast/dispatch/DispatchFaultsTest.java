package io.surveycast.dispatch;

import static io.surveycast.db.Tables.DISPATCH_CLAIM;
import static io.surveycast.db.Tables.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.SendingNode;
import io.surveycast.support.TwilioStub;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dispatcher under faults from outside, with several nodes in this JVM on one database and a
 * Twilio stub told what to answer as the test runs (issue 18). Each test takes seconds.
 */
class DispatchFaultsTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z"); // 13:00 in London
    static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    TwilioStub twilio;

    @BeforeEach
    void start() throws Exception {
        twilio = new TwilioStub();
    }

    @AfterEach
    void stop() {
        twilio.close();
    }

    void plan(int contacts) {
        StringBuilder csv = new StringBuilder("external_id,phone,timezone,onboarded_at\n");
        for (int i = 0; i < contacts; i++) {
            csv.append("c").append(i).append(",+4479111").append(String.format("%05d", i))
                    .append(",Europe/London,2026-05-31T12:00:00Z\n");
        }
        Fixtures.contacts(db.dsl(), CLOCK, csv.toString());
        Fixtures.campaign(db.dsl(), CLOCK, """
                key: welcome
                name: Welcome survey
                trigger: {type: onboarding, offset: P1D}
                channels: [sms]
                question: How likely are you to recommend Acme?
                templates: {sms: nps-invite}
                """);
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(T);
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("queued"))).isEqualTo(contacts);
    }

    SendingNode node(Map<String, String> more) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("TWILIO_ACCOUNT_SID", TwilioStub.SID);
        env.put("TWILIO_AUTH_TOKEN", "secret-token");
        env.put("SURVEYCAST_SMS_FROM", "+15005550006");
        env.put("SURVEYCAST_TWILIO_API_URL", twilio.baseUrl());
        env.put("SURVEYCAST_PUBLIC_URL", "https://nps.acme.example");
        env.put("SURVEYCAST_DISPATCH_LEASE", "PT60S");
        env.putAll(more);
        return new SendingNode(db.settings(env), CLOCK);
    }

    static CompletableFuture<DispatchCounts> draining(SendingNode node) {
        return CompletableFuture.supplyAsync(() -> node.dispatcher().drain(T));
    }

    void awaitCreates(int n, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (twilio.creates().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(twilio.creates().size()).as("requests to Twilio so far").isGreaterThanOrEqualTo(n);
    }

    List<String> acceptedRecipients() {
        return twilio.accepted().stream().map(m -> m.get("To")).toList();
    }

    /**
     * Point 6: a node told to stop sends nothing more, lets the batches it claimed go (nothing is
     * left to a lease) and stops in moments; another node sends the rest at once, each message once.
     */
    @Test
    void aStoppingNodeLetsItsBatchesGoAndAnotherSendsTheRestAtOnce() throws Exception {
        plan(80);
        SendingNode first = node(Map.of("SURVEYCAST_SMS_RATE", "20"));
        CompletableFuture<DispatchCounts> firstRun = draining(first);
        try {
            awaitCreates(10, Duration.ofSeconds(20));
        } catch (AssertionError e) {
            first.close();
            throw e;
        }
        long stopping = System.nanoTime();
        first.close();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
        int sentByFirst = twilio.creates().size();
        firstRun.get(5, TimeUnit.SECONDS);
        assertThat(stopMillis).as("stopped within 3 s").isLessThan(3000);
        assertThat(db.dsl().fetchCount(DISPATCH_CLAIM)).as("no batch left to its lease").isZero();
        assertThat(sentByFirst).isLessThan(80);
        Thread.sleep(300);
        assertThat(twilio.creates()).as("nothing sent after stopping").hasSize(sentByFirst);

        try (SendingNode second = node(Map.of("SURVEYCAST_SMS_RATE", "0"))) {
            DispatchCounts counts = draining(second).get(10, TimeUnit.SECONDS);
            assertThat(counts.sent()).containsEntry("sms", (long) (80 - sentByFirst));
        }
        assertThat(acceptedRecipients()).hasSize(80).doesNotHaveDuplicates();
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("sent"), MESSAGE.ATTEMPTS.eq(1)))
                .as("each sent at its first attempt").isEqualTo(80);
    }
}
