package io.surveycast.dispatch;

import static io.surveycast.db.Tables.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.SendingNode;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several dispatchers on one database, and one killed in the middle of a wave. */
class ManyDispatchersTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    GreenMail smtp;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    void plan(int contacts) {
        StringBuilder csv = new StringBuilder("external_id,email,onboarded_at\n");
        for (int i = 0; i < contacts; i++) {
            csv.append("c").append(i).append(",c").append(i).append("@example.com,2026-05-31T12:00:00Z\n");
        }
        Fixtures.contacts(db.dsl(), CLOCK, csv.toString());
        Fixtures.campaign(db.dsl(), CLOCK, """
                key: welcome
                name: Welcome survey
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely are you to recommend Acme?
                templates: {email: nps-invite}
                """);
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(T);
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("queued"))).isEqualTo(contacts);
    }

    Map<String, String> env(String rate) {
        Map<String, String> env = new HashMap<>();
        env.put("SURVEYCAST_SMTP_HOST", "127.0.0.1");
        env.put("SURVEYCAST_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()));
        env.put("SURVEYCAST_SMTP_TLS", "none");
        env.put("SURVEYCAST_EMAIL_RATE", rate);
        env.put("SURVEYCAST_DISPATCH_LEASE", "PT4S");
        env.put("SURVEYCAST_SMTP_TIMEOUT", "PT3S"); // the lease must outlast a call (issue 18.3)
        return env;
    }

    @Test
    void threeDispatchersOnOneDatabaseSendEachMessageOnce() throws Exception {
        plan(600);
        List<SendingNode> nodes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(new SendingNode(db.settings(env("0")), CLOCK));
            }
            List<Future<DispatchCounts>> runs = new ArrayList<>();
            for (SendingNode node : nodes) {
                runs.add(pool.submit(() -> node.dispatcher().drain(T)));
            }
            long sent = 0;
            for (Future<DispatchCounts> run : runs) {
                sent += run.get(2, TimeUnit.MINUTES).total();
            }
            assertThat(sent).isEqualTo(600);
        } finally {
            pool.shutdownNow();
            for (SendingNode node : nodes) {
                node.close();
            }
        }
        assertThat(distinctMessageIds(smtp.getReceivedMessages())).hasSize(600);
        assertThat(smtp.getReceivedMessages()).hasSize(600);
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("sent"))).isEqualTo(600);
    }

    @Test
    void theChannelsConcurrencyIsSharedByEveryNode() {
        OutboxQueries queries = new OutboxQueries();
        java.time.Duration lease = java.time.Duration.ofMinutes(1);
        queries.createSlots(db.dsl(), "sms", 4);
        queries.createSlots(db.dsl(), "email", 4);
        assertThat(queries.shareSlots(db.dsl(), "sms", 4, 3, "node-a", lease).held()).isEqualTo(3);
        assertThat(queries.shareSlots(db.dsl(), "sms", 4, 3, "node-b", lease).held()).as("one slot left").isEqualTo(1);
        assertThat(queries.shareSlots(db.dsl(), "sms", 4, 3, "node-c", lease).held()).isZero();
        assertThat(queries.shareSlots(db.dsl(), "email", 4, 4, "node-c", lease).held()).as("per channel").isEqualTo(4);
        queries.leave(db.dsl(), "sms", "node-a");
        assertThat(queries.shareSlots(db.dsl(), "sms", 4, 4, "node-c", lease).held()).as("node-c's share of two nodes")
                .isEqualTo(2);
        // a node that died keeps its slots only until its lease runs out
        db.dsl().update(io.surveycast.db.Tables.CHANNEL_SLOT)
                .set(io.surveycast.db.Tables.CHANNEL_SLOT.HELD_UNTIL, java.time.OffsetDateTime.now().minusSeconds(1))
                .where(io.surveycast.db.Tables.CHANNEL_SLOT.NODE.eq("node-b")).execute();
        db.dsl().update(io.surveycast.db.Tables.CHANNEL_NODE)
                .set(io.surveycast.db.Tables.CHANNEL_NODE.ALIVE_UNTIL, java.time.OffsetDateTime.now().minusSeconds(1))
                .where(io.surveycast.db.Tables.CHANNEL_NODE.NODE.eq("node-b")).execute();
        assertThat(queries.shareSlots(db.dsl(), "sms", 4, 4, "node-c", lease).held()).isEqualTo(4);
    }

    @Test
    void concurrentClaimsNeverShareAMessageAndABatchTakenOverIsLostToItsNode() throws Exception {
        plan(3000);
        OutboxQueries queries = new OutboxQueries();
        java.time.Duration lease = java.time.Duration.ofMinutes(5);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        Map<String, List<Long>> byClaim = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            List<Future<?>> claimers = new ArrayList<>();
            for (int n = 0; n < 6; n++) {
                String node = "node-" + n;
                claimers.add(pool.submit(() -> {
                    for (int i = 1; ; i++) {
                        List<ClaimedMessage> batch = queries.claim(db.dsl(), "email", T, 40, node + "#" + i, lease);
                        if (batch.isEmpty()) {
                            return null;
                        }
                        byClaim.put(node + "#" + i, batch.stream().map(ClaimedMessage::id).toList());
                    }
                }));
            }
            for (Future<?> claimer : claimers) {
                claimer.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Long> all = byClaim.values().stream().flatMap(List::stream).toList();
        assertThat(all).as("every message claimed once, by one batch").hasSize(3000).doesNotHaveDuplicates();
        assertThat(byClaim.keySet()).as("the claimers took turns").anyMatch(c -> !c.startsWith("node-0#"));

        // node-0's batches outlive their lease: the next claim takes their messages over, counting the lost attempt
        String lost = byClaim.keySet().stream().filter(c -> c.startsWith("node-0#")).findFirst().orElseThrow();
        List<Long> lostIds = byClaim.entrySet().stream().filter(e -> e.getKey().startsWith("node-0#"))
                .flatMap(e -> e.getValue().stream()).sorted().toList();
        String live = byClaim.keySet().stream().filter(c -> c.startsWith("node-1#")).findFirst().orElseThrow();
        db.dsl().update(io.surveycast.db.Tables.DISPATCH_CLAIM)
                .set(io.surveycast.db.Tables.DISPATCH_CLAIM.HELD_UNTIL, java.time.OffsetDateTime.now().minusSeconds(1))
                .where(io.surveycast.db.Tables.DISPATCH_CLAIM.NAME.startsWith("node-0#")).execute();
        List<ClaimedMessage> taken = queries.claim(db.dsl(), "email", T, 3000, "taker#1", lease);
        assertThat(taken.stream().map(ClaimedMessage::id).sorted().toList()).isEqualTo(lostIds);
        assertThat(taken).allMatch(m -> m.attempts() == 2, "the lost attempt and this one");
        assertThat(queries.confirm(db.dsl(), lostIds.get(0), lost, lease)).as("taken over: not sent by node-0").isFalse();
        assertThat(queries.confirm(db.dsl(), byClaim.get(live).get(0), live, lease)).as("node-1 still holds its batch").isTrue();

        queries.release(db.dsl(), live);
        assertThat(queries.claim(db.dsl(), "email", T, 3000, "after-release#1", lease).stream().map(ClaimedMessage::id).toList())
                .as("a released batch's messages still queued can be claimed again")
                .containsExactlyInAnyOrderElementsOf(byClaim.get(live));
    }

    @Test
    void aTakeoverCountsOnlyTheAttemptsItsBatchCutShort() {
        plan(3);
        OutboxQueries queries = new OutboxQueries();
        java.time.Duration lease = java.time.Duration.ofMinutes(5);
        List<ClaimedMessage> batch = queries.claim(db.dsl(), "email", T, 10, "dead#1", lease);
        assertThat(batch).hasSize(3).allMatch(m -> m.attempts() == 1);
        ClaimedMessage retried = batch.get(0);
        ClaimedMessage deferred = batch.get(1);
        ClaimedMessage cutShort = batch.get(2);
        // a retry recorded by the sender (its attempt counted), a deferral by the checks (not an attempt)
        queries.requeue(db.dsl(), retried, T, "421 try later", true, null, T, "dead#1");
        queries.requeue(db.dsl(), deferred, T, null, false, null, T, null);
        queries.keepOnly(db.dsl(), "dead#1", new Long[] {cutShort.id()});
        db.dsl().update(io.surveycast.db.Tables.DISPATCH_CLAIM)
                .set(io.surveycast.db.Tables.DISPATCH_CLAIM.HELD_UNTIL, java.time.OffsetDateTime.now().minusSeconds(1))
                .where(io.surveycast.db.Tables.DISPATCH_CLAIM.NAME.eq("dead#1")).execute();

        Map<Long, Integer> attempts = new HashMap<>();
        queries.claim(db.dsl(), "email", T, 10, "taker#1", lease).forEach(m -> attempts.put(m.id(), m.attempts()));

        assertThat(attempts).containsEntry(retried.id(), 2).containsEntry(deferred.id(), 1)
                .as("the one whose attempt the dead node cut short").containsEntry(cutShort.id(), 2);
    }

    @Test
    void aDispatcherKilledMidWaveLosesNothingAndDuplicatesAtMostWhatWasInFlight() throws Exception {
        plan(1500);
        Map<String, String> env = env("300");
        Process first = runDue(env, "target/run-due-killed.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (smtp.getReceivedMessages().length < 200 && System.nanoTime() < deadline && first.isAlive()) {
            Thread.sleep(20);
        }
        assertThat(first.isAlive()).as("still sending when killed").isTrue();
        first.destroyForcibly(); // SIGKILL
        first.waitFor(10, TimeUnit.SECONDS);
        int beforeRestart = smtp.getReceivedMessages().length;
        assertThat(beforeRestart).isLessThan(1500);
        long claimedAtKill = db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("queued"), MESSAGE.ID.in(
                org.jooq.impl.DSL.select(org.jooq.impl.DSL.field("unnest({0})", Long.class,
                        io.surveycast.db.Tables.DISPATCH_CLAIM.MESSAGE_IDS)).from(io.surveycast.db.Tables.DISPATCH_CLAIM)));

        Process second = runDue(env, "target/run-due-restarted.log");
        assertThat(second.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(second.exitValue()).as(java.nio.file.Files.readString(Path.of("target/run-due-restarted.log"))).isZero();

        MimeMessage[] received = smtp.getReceivedMessages();
        Set<String> distinct = distinctMessageIds(received);
        assertThat(distinct).as("no message lost").hasSize(1500);
        int duplicates = received.length - distinct.size();
        // only messages handed to SMTP but not yet recorded as sent can go twice: one per connection on
        // the wire, and those accepted but waiting for their group to be recorded
        assertThat(duplicates).isLessThanOrEqualTo(4 + Dispatcher.UNRECORDED_LIMIT).isLessThanOrEqualTo((int) claimedAtKill);
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("sent"))).isEqualTo(1500);
    }

    private Process runDue(Map<String, String> env, String log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.surveycast.App", "run-due", "--at", T.toString());
        builder.environment().putAll(env);
        builder.environment().put("SURVEYCAST_DB_URL", db.settings().get("surveycast.db.url").orElseThrow());
        builder.environment().put("SURVEYCAST_DB_USER", "postgres");
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.redirectError(new File(log));
        return builder.start();
    }

    private static Set<String> distinctMessageIds(MimeMessage[] received) throws Exception {
        Set<String> ids = new HashSet<>();
        for (MimeMessage m : received) {
            ids.add(m.getMessageID());
        }
        return ids;
    }
}
