package io.surveycast.dispatch;

import static io.surveycast.db.Tables.CHANNEL_SLOT;
import static io.surveycast.db.Tables.DISPATCH_CLAIM;
import static io.surveycast.db.Tables.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.CapturedLog;
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

    /** The node drains on a thread of its own (the common pool has one thread on a two-core machine). */
    static CompletableFuture<DispatchCounts> draining(SendingNode node) {
        return CompletableFuture.supplyAsync(() -> node.dispatcher().drain(T), r -> Thread.ofPlatform().start(r));
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

    /**
     * Point 2 (and 7): Twilio answers 429 for four seconds to two nodes sending at 50/s: the
     * channel pauses on both, longer at each 429 that follows a pause, so only a handful of
     * requests a second reach Twilio; then the rate comes back step by step and every message
     * goes once. Each node says once that the channel is throttled and once that it recovered.
     */
    @Test
    void twilio429sPauseTheChannelOnEveryNodeWithAGrowingPauseAndTheRateComesBackGradually() throws Exception {
        plan(250); // enough left, once the rate has come back step by step, for a second at full rate
        twilio.answer(TwilioStub.Answer.throttled(null));
        Map<String, String> env = Map.of("SURVEYCAST_SMS_RATE", "50");
        try (CapturedLog log = new CapturedLog(); SendingNode a = node(env); SendingNode b = node(env)) {
            CompletableFuture<DispatchCounts> runA = draining(a);
            CompletableFuture<DispatchCounts> runB = draining(b);
            awaitCreates(1, Duration.ofSeconds(20));
            long first = twilio.creates().get(0).atNanos();
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(first + TimeUnit.SECONDS.toNanos(4) - System.nanoTime())));
            twilio.answer(TwilioStub.Answer.accepted());
            long open = System.nanoTime();
            long sent = runA.get(60, TimeUnit.SECONDS).sent().getOrDefault("sms", 0L)
                    + runB.get(60, TimeUnit.SECONDS).sent().getOrDefault("sms", 0L);
            assertThat(sent).isEqualTo(250);

            List<TwilioStub.Request> creates = twilio.creates();
            long throttledPhase = creates.stream().filter(r -> r.atNanos() < open).count();
            System.out.printf("429 phase: %d requests in 4 s; then %s per second%n", throttledPhase,
                    perSecond(creates, open));
            assertThat(throttledPhase).as("requests during 4 s of 429s at a configured 50/s").isLessThanOrEqualTo(24);
            List<Long> after = perSecond(creates, open);
            assertThat(after.get(0) + after.get(1)).as("the first two seconds after the 429s: not at full rate")
                    .isLessThan(50);
            assertThat(after.stream().mapToLong(Long::longValue).max().orElse(0)).as("then full rate again")
                    .isGreaterThanOrEqualTo(35);
            assertThat(log.containing("sms channel throttled")).hasSizeBetween(1, 2);
            assertThat(log.containing("sms channel recovered")).hasSizeBetween(1, 2);
            assertThat(log.lines()).noneMatch(l -> l.contains("[with ")).noneMatch(l -> l.contains("select "));
        }
        assertThat(acceptedRecipients()).hasSize(250).doesNotHaveDuplicates();
    }

    /** Point 2: a 429 with Retry-After: 3 keeps every node from sending for three seconds. */
    @Test
    void retryAfterIsHonouredByEveryNode() throws Exception {
        plan(60);
        twilio.answer(TwilioStub.Answer.throttled("3"));
        Map<String, String> env = Map.of("SURVEYCAST_SMS_RATE", "40");
        try (SendingNode a = node(env); SendingNode b = node(env)) {
            CompletableFuture<DispatchCounts> runA = draining(a);
            CompletableFuture<DispatchCounts> runB = draining(b);
            awaitCreates(1, Duration.ofSeconds(20));
            Thread.sleep(300);
            twilio.answer(TwilioStub.Answer.accepted());
            assertThat(runA.get(60, TimeUnit.SECONDS).sent().getOrDefault("sms", 0L)
                    + runB.get(60, TimeUnit.SECONDS).sent().getOrDefault("sms", 0L)).isEqualTo(60);
        }
        List<TwilioStub.Request> creates = twilio.creates();
        long first = creates.get(0).atNanos();
        // requests already on the wire when the first 429 came back answer within moments; then nothing for 3 s
        long inPause = creates.stream().filter(r -> r.atNanos() > first + TimeUnit.MILLISECONDS.toNanos(400)
                && r.atNanos() < first + TimeUnit.MILLISECONDS.toNanos(2900)).count();
        assertThat(inPause).as("requests during the Retry-After pause").isZero();
        assertThat(acceptedRecipients()).hasSize(60).doesNotHaveDuplicates();
    }

    /**
     * Point 5: a configured rate is a ceiling in every wall-clock second. Two nodes send a wave at
     * 50/s, one taking over the batch of a node that died; Twilio answers slowly (1 s) for the first
     * three seconds, so slots pass while every connection is busy, then at once. No wall-clock
     * second at Twilio carries more than 50 requests: slots that passed are not caught up.
     */
    @Test
    void aConfiguredRateIsACeilingInEveryWallClockSecondWithASlowStartAndATakeover() throws Exception {
        plan(400);
        List<ClaimedMessage> lost = new OutboxQueries().claim(db.dsl(), "sms", T, 50, "dead-node/0a1b2c3d#7",
                Duration.ofMillis(1));
        assertThat(lost).hasSize(50);
        twilio.answer(TwilioStub.Answer.slow(Duration.ofSeconds(1)));
        Map<String, String> env = Map.of("SURVEYCAST_SMS_RATE", "50");
        try (SendingNode a = node(env); SendingNode b = node(env)) {
            CompletableFuture<DispatchCounts> runA = draining(a);
            CompletableFuture<DispatchCounts> runB = draining(b);
            awaitCreates(1, Duration.ofSeconds(20));
            long first = twilio.creates().get(0).atNanos();
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(first + TimeUnit.SECONDS.toNanos(3) - System.nanoTime())));
            twilio.answer(TwilioStub.Answer.accepted());
            long sent = runA.get(60, TimeUnit.SECONDS).sent().getOrDefault("sms", 0L)
                    + runB.get(60, TimeUnit.SECONDS).sent().getOrDefault("sms", 0L);
            assertThat(sent).isEqualTo(400);
        }
        Map<Long, Long> perWallSecond = perWallClockSecond(twilio.creates());
        System.out.printf("requests per wall-clock second at a configured 50/s: %s%n", perWallSecond.values());
        assertThat(perWallSecond.values()).as("requests in each wall-clock second").allMatch(n -> n <= arrivalCeiling(50));
        assertThat(perWallSecond.values().stream().filter(n -> n >= 45).count())
                .as("seconds at (nearly) the full rate once Twilio answers at once").isGreaterThanOrEqualTo(3);
        assertThat(acceptedRecipients()).hasSize(400).doesNotHaveDuplicates();
    }

    /**
     * The most requests the stub may see arrive in one wall-clock second at a configured rate. The
     * sender keeps to the rate exactly (RateSlotsTest checks the slots with a clock), and leaves
     * a margin before each second ends so that the request arrives in it too; on a machine at a load
     * of 15 on 2 cores a request still sometimes took longer than that margin to reach the stub and
     * was counted in the next second (51 or 52 at 50/s). Slots caught up after the slow start, the
     * fault this guards against, would put the unused slots of three slow seconds into the fast ones.
     */
    static long arrivalCeiling(int rate) {
        return rate + rate / 10;
    }

    /** Requests per wall-clock second (epoch second), in order. */
    static Map<Long, Long> perWallClockSecond(List<TwilioStub.Request> creates) {
        long wallMinusNano = Instant.now().toEpochMilli() * 1_000_000 - System.nanoTime();
        Map<Long, Long> counts = new java.util.TreeMap<>();
        for (TwilioStub.Request r : creates) {
            counts.merge(Math.floorDiv(r.atNanos() + wallMinusNano, 1_000_000_000L), 1L, Long::sum);
        }
        return counts;
    }

    /** Requests per second from {@code from}, second by second. */
    static List<Long> perSecond(List<TwilioStub.Request> creates, long from) {
        long last = creates.stream().mapToLong(TwilioStub.Request::atNanos).max().orElse(from);
        int seconds = (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(last - from) + 1);
        long[] counts = new long[seconds];
        for (TwilioStub.Request r : creates) {
            if (r.atNanos() >= from) {
                counts[(int) TimeUnit.NANOSECONDS.toSeconds(r.atNanos() - from)]++;
            }
        }
        return java.util.Arrays.stream(counts).boxed().toList();
    }

    /**
     * Point 7: a failing provider, its recovery and the takeover of a dead node's batches are
     * each told in one line, with counts, and without statements or stack traces.
     */
    @Test
    void aFailingChannelItsRecoveryAndATakeoverAreEachOneLogLine() throws Exception {
        plan(30);
        // a node that died holding a batch of ten: its lease (1 ms) has run out
        List<ClaimedMessage> lost = new OutboxQueries().claim(db.dsl(), "sms", T, 10, "dead-node/0a1b2c3d#7",
                Duration.ofMillis(1));
        assertThat(lost).hasSize(10);
        twilio.answer(TwilioStub.Answer.serverError());
        try (CapturedLog log = new CapturedLog(); SendingNode node = node(Map.of("SURVEYCAST_SMS_RATE", "0"))) {
            DispatchCounts failing = node.dispatcher().drain(T);
            assertThat(failing.retried()).containsEntry("sms", 30L);
            Thread.sleep(ChannelHealth.QUIET.toMillis() + 100);
            twilio.answer(TwilioStub.Answer.accepted());
            DispatchCounts later = node.dispatcher().drain(T.plus(Duration.ofHours(2))); // past every backoff
            assertThat(later.sent()).containsEntry("sms", 30L);

            assertThat(log.containing("took over")).singleElement().asString()
                    .contains("sms: took over 1 batches of node dead-node/0a1b2c3d", "10 messages, 10 still to send");
            assertThat(log.containing("sms channel failing")).singleElement().asString()
                    .contains("3 temporary failures in a row", "Twilio 500");
            assertThat(log.containing("sms channel recovered")).singleElement().asString()
                    .contains("30 temporary failures");
            assertThat(log.lines()).noneMatch(l -> l.contains("[with ")).noneMatch(l -> l.contains("select "));
            assertThat(log.lines().stream().filter(l -> l.startsWith("WARN") || l.startsWith("ERROR")).count())
                    .as("no line per message").isLessThanOrEqualTo(3);
        }
    }

    /**
     * Point 3: with a 4 s lease (5 s with the room a batch gets at 1000/s), three slots and
     * Twilio answering after 2 s (its timeout 3 s), the node's second batch waits behind its
     * first and is held longer than its lease; the node renews it while it lives, so the other
     * node never takes it over and sends it again.
     */
    @Test
    void aBatchHeldLongerThanItsLeaseWhileItsCallsGoOutIsNotTakenOverAndSentTwice() throws Exception {
        plan(12);
        twilio.answer(TwilioStub.Answer.slow(Duration.ofSeconds(2)));
        Map<String, String> env = Map.of("SURVEYCAST_SMS_RATE", "1000", "SURVEYCAST_SMS_CONCURRENCY", "3",
                "SURVEYCAST_DISPATCH_LEASE", "PT4S", "SURVEYCAST_TWILIO_TIMEOUT", "PT3S");
        try (CapturedLog log = new CapturedLog(); SendingNode a = node(env); SendingNode b = node(env)) {
            CompletableFuture<DispatchCounts> runA = draining(a);
            awaitCreates(3, Duration.ofSeconds(20));
            CompletableFuture<DispatchCounts> runB = draining(b);

            long sent = runA.get(60, TimeUnit.SECONDS).sent().getOrDefault("sms", 0L)
                    + runB.get(60, TimeUnit.SECONDS).sent().getOrDefault("sms", 0L);
            assertThat(sent).isEqualTo(12);
            assertThat(log.containing("took over")).isEmpty();
        }
        assertThat(twilio.creates()).as("one request per message").hasSize(12);
    }

    /**
     * Point 3: a lease a provider call could outlast is refused at start, in one line naming the
     * settings; one that outlasts the call by the margin is accepted.
     */
    @Test
    void aLeaseShorterThanTheProviderTimeoutIsRefusedAtStart() throws Exception {
        Map<String, String> env = Map.of("SURVEYCAST_DISPATCH_LEASE", "PT20S", "SURVEYCAST_TWILIO_TIMEOUT", "PT30S");
        assertThatThrownBy(() -> node(env).close())
                .isInstanceOf(io.surveycast.config.InvalidInputException.class)
                .hasMessage("SURVEYCAST_DISPATCH_LEASE: PT20S is shorter than the longest provider call it must "
                        + "outlast (SURVEYCAST_SMTP_TIMEOUT / SURVEYCAST_TWILIO_TIMEOUT, PT30S) plus 1 s: set the "
                        + "lease to at least PT31S or shorten the timeout");
        assertThatThrownBy(() -> node(Map.of("SURVEYCAST_DISPATCH_LEASE", "PT30S")).close())
                .as("the default Twilio timeout, 30 s").hasMessageContaining("at least PT31S");
        assertThatThrownBy(() -> io.surveycast.dispatch.DispatchOptions.fromSettings(db.settings(Map.of(
                        "SURVEYCAST_SMTP_HOST", "127.0.0.1", "SURVEYCAST_SMTP_TLS", "none",
                        "SURVEYCAST_SMTP_TIMEOUT", "PT50S", "SURVEYCAST_DISPATCH_LEASE", "PT40S"))))
                .as("SMTP's timeout counts too").hasMessageContaining("PT50S) plus 1 s");
        Map<String, String> cli = new HashMap<>(Map.of("TWILIO_ACCOUNT_SID", TwilioStub.SID,
                "TWILIO_AUTH_TOKEN", "secret-token", "SURVEYCAST_SMS_FROM", "+15005550006",
                "SURVEYCAST_TWILIO_API_URL", twilio.baseUrl()));
        cli.putAll(env);
        io.surveycast.support.CliRun run = io.surveycast.support.CliRun.run(db.settings(cli), "run-due", "--at", T.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(io.surveycast.cli.Cli.INVALID);
        assertThat(run.errLines()).as("one line, naming the settings").singleElement().asString()
                .startsWith("SURVEYCAST_DISPATCH_LEASE: PT20S is shorter than").contains("SURVEYCAST_TWILIO_TIMEOUT");
        assertThat(twilio.creates()).isEmpty();
        try (SendingNode accepted = node(Map.of("SURVEYCAST_DISPATCH_LEASE", "PT31S"))) {
            assertThat(accepted.dispatcher()).isNotNull();
        }
        assertThat(io.surveycast.dispatch.DispatchOptions.fromSettings(db.settings(Map.of(
                "SURVEYCAST_DISPATCH_LEASE", "PT1S"))).lease())
                .as("no provider configured (development mode): nothing to outlast").isEqualTo(Duration.ofSeconds(1));
    }

    /** The node holding each of the channel's slots that is still held. */
    List<String> slotHolders(String channel) {
        return db.dsl().select(CHANNEL_SLOT.NODE).from(CHANNEL_SLOT)
                .where(CHANNEL_SLOT.CHANNEL.eq(channel), CHANNEL_SLOT.NODE.isNotNull(),
                        CHANNEL_SLOT.HELD_UNTIL.gt(org.jooq.impl.DSL.field("clock_timestamp()", java.time.OffsetDateTime.class)))
                .orderBy(CHANNEL_SLOT.SLOT).fetch(CHANNEL_SLOT.NODE);
    }

    /**
     * Point 1: three nodes share a wave; one that holds slots is killed (its connections cut, as
     * by kill -9). The two others take its slots over and send on all of them within 5 s, not
     * after its lease (60 s here).
     */
    @Test
    void aKilledNodesSlotsComeBackToTheOthersWithinSeconds() throws Exception {
        plan(400);
        twilio.answer(TwilioStub.Answer.slow(Duration.ofMillis(300)));
        Map<String, String> env = Map.of("SURVEYCAST_SMS_RATE", "0", "SURVEYCAST_SMS_CONCURRENCY", "6");
        SendingNode a = node(env);
        try (SendingNode b = node(env); SendingNode c = node(env)) {
            draining(a);
            awaitCreates(6, Duration.ofSeconds(20));
            List<String> alone = slotHolders("sms");
            assertThat(alone).as("the first node alone holds every slot").hasSize(6).containsOnly(alone.get(0));
            String dying = alone.get(0);
            CompletableFuture<DispatchCounts> runB = draining(b);
            CompletableFuture<DispatchCounts> runC = draining(c);
            Thread.sleep(1500);
            long killedAt = System.nanoTime();
            a.kill();
            List<String> holders = slotHolders("sms");
            while (System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(5)
                    && (holders.size() < 6 || holders.contains(dying))) {
                Thread.sleep(20);
                holders = slotHolders("sms");
            }
            double seconds = (System.nanoTime() - killedAt) / 1e9;
            System.out.printf("slots after the kill (%.1f s): %s%n", seconds, holders);
            assertThat(holders).as("within 5 s of the kill, every slot is held by a node still alive")
                    .hasSize(6).doesNotContain(dying);
            long resumed = System.nanoTime();
            awaitCreates(twilio.creates().size() + 12, Duration.ofSeconds(10));
            assertThat(twilio.creates().stream().filter(r -> r.atNanos() > resumed).count())
                    .as("the others go on sending").isGreaterThanOrEqualTo(12);
            b.dispatcher().stopTaking(Duration.ofSeconds(10));
            c.dispatcher().stopTaking(Duration.ofSeconds(10));
            runB.get(30, TimeUnit.SECONDS);
            runC.get(30, TimeUnit.SECONDS);
        } finally {
            a.close();
        }
    }

    /**
     * Point 1: with Twilio the bottleneck (answers after 200 ms), one node at 4 concurrent sends
     * of the channel's 12 sends about 20 a second; three such nodes each send a share of the wave
     * and together at least 1.5 times as many a second. Every message goes once.
     */
    @Test
    void threeNodesEachSendAShareAndTogetherOutpaceOneWhenTheProviderIsSlow() throws Exception {
        plan(480);
        twilio.answer(TwilioStub.Answer.slow(Duration.ofMillis(200)));
        Map<String, String> env = Map.of("SURVEYCAST_SMS_RATE", "0", "SURVEYCAST_SMS_CONCURRENCY", "12",
                "SURVEYCAST_SMS_NODE_CONCURRENCY", "4");
        try (SendingNode a = node(env); SendingNode b = node(env); SendingNode c = node(env)) {
            CompletableFuture<DispatchCounts> runA = draining(a);
            awaitCreates(1, Duration.ofSeconds(20));
            Thread.sleep(3500);
            long together = System.nanoTime();
            CompletableFuture<DispatchCounts> runB = draining(b);
            CompletableFuture<DispatchCounts> runC = draining(c);
            long sentA = runA.get(120, TimeUnit.SECONDS).sent().getOrDefault("sms", 0L);
            long sentB = runB.get(120, TimeUnit.SECONDS).sent().getOrDefault("sms", 0L);
            long sentC = runC.get(120, TimeUnit.SECONDS).sent().getOrDefault("sms", 0L);
            List<TwilioStub.Request> creates = twilio.creates();
            long first = creates.get(0).atNanos();
            double alone = rate(creates, first + TimeUnit.MILLISECONDS.toNanos(1000), together);
            double three = rate(creates, together + TimeUnit.MILLISECONDS.toNanos(1500),
                    creates.get(creates.size() - 1).atNanos() - TimeUnit.MILLISECONDS.toNanos(500));
            System.out.printf("shares of 480: %d, %d, %d; one node %.1f/s, three nodes %.1f/s (%.2f times)%n",
                    sentA, sentB, sentC, alone, three, three / alone);
            assertThat(sentA + sentB + sentC).isEqualTo(480);
            assertThat(List.of(sentA, sentB, sentC)).as("each node sends a share").allMatch(n -> n >= 48);
            assertThat(three).as("three nodes' rate against one's (%.1f/s)", alone).isGreaterThanOrEqualTo(1.5 * alone);
            assertThat(twilio.maxInFlight()).as("the channel's concurrency across the nodes").isLessThanOrEqualTo(12);
        }
        assertThat(acceptedRecipients()).hasSize(480).doesNotHaveDuplicates();
    }

    /** Requests per second between two instants (nanoTime). */
    static double rate(List<TwilioStub.Request> creates, long from, long to) {
        long n = creates.stream().filter(r -> r.atNanos() >= from && r.atNanos() < to).count();
        return n / ((to - from) / 1e9);
    }

    /**
     * Point 1 and 5: three nodes share a wave at a configured 30/s, Twilio answering after 250 ms
     * (three nodes of 4 sends could do 48/s): each node sends a share, no wall-clock second at
     * Twilio carries more than 30 requests, and the channel's concurrency (12) holds across nodes.
     */
    @Test
    void threeNodesShareARateLimitedWaveAndNeverExceedTheRateInAnySecond() throws Exception {
        plan(240);
        twilio.answer(TwilioStub.Answer.slow(Duration.ofMillis(250)));
        Map<String, String> env = Map.of("SURVEYCAST_SMS_RATE", "30", "SURVEYCAST_SMS_CONCURRENCY", "12",
                "SURVEYCAST_SMS_NODE_CONCURRENCY", "4");
        long[] sent = new long[3];
        try (SendingNode a = node(env); SendingNode b = node(env); SendingNode c = node(env)) {
            List<CompletableFuture<DispatchCounts>> runs = List.of(draining(a), draining(b), draining(c));
            for (int i = 0; i < 3; i++) {
                sent[i] = runs.get(i).get(120, TimeUnit.SECONDS).sent().getOrDefault("sms", 0L);
            }
        }
        Map<Long, Long> perWallSecond = perWallClockSecond(twilio.creates());
        System.out.printf("shares of 240 at 30/s: %s; requests per wall-clock second: %s%n",
                java.util.Arrays.toString(sent), perWallSecond.values());
        assertThat(sent[0] + sent[1] + sent[2]).isEqualTo(240);
        assertThat(java.util.Arrays.stream(sent).boxed().toList()).as("each node sends a share").allMatch(n -> n >= 24);
        assertThat(perWallSecond.values()).as("requests in each wall-clock second").allMatch(n -> n <= arrivalCeiling(30));
        assertThat(twilio.maxInFlight()).isLessThanOrEqualTo(12);
        assertThat(acceptedRecipients()).hasSize(240).doesNotHaveDuplicates();
    }

    /**
     * Point 3: Twilio answers 500 after taking the messages in; before trying again the channel
     * looks for them in Twilio's Messages list (by recipient and send date), finds them and
     * records them as sent instead of sending them a second time.
     */
    @Test
    void anSmsWhoseOutcomeWasUnknownIsLookedUpAndNotSentTwice() throws Exception {
        plan(5);
        twilio.answer(TwilioStub.Answer.errorAfterAccepting());
        try (SendingNode node = node(Map.of("SURVEYCAST_SMS_RATE", "0"))) {
            assertThat(node.dispatcher().drain(T).retried()).containsEntry("sms", 5L);
            twilio.answer(TwilioStub.Answer.accepted());
            assertThat(node.dispatcher().drain(T.plus(Duration.ofHours(2))).sent()).containsEntry("sms", 5L);
        }
        assertThat(twilio.creates()).as("no second request").hasSize(5);
        assertThat(twilio.lists()).as("looked up").isEqualTo(5);
        assertThat(acceptedRecipients()).hasSize(5).doesNotHaveDuplicates();
        assertThat(db.dsl().select(MESSAGE.PROVIDER_ID).from(MESSAGE).fetch(MESSAGE.PROVIDER_ID))
                .as("recorded with the sid Twilio gave the first attempt")
                .containsExactlyInAnyOrderElementsOf(twilio.accepted().stream().map(m -> m.get("sid")).toList());
    }
}
