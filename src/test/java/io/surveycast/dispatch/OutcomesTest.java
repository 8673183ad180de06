package io.surveycast.dispatch;

import static io.surveycast.db.Tables.CHANNEL_RATE;
import static io.surveycast.db.Tables.DISPATCH_CLAIM;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.channel.SendResult;
import io.surveycast.db.tables.records.MessageRecord;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The outcome bookkeeping on its own, called as a sender would, on no thread of its own: what each
 * answer of a channel leaves in the database, the back-off, and the batch let go after its last
 * outcome (issue 13 point 4).
 */
class OutcomesTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);
    static final List<String> CHANNELS = List.of("email", "sms");

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final OutboxQueries queries = new OutboxQueries();
    SentRecorder recorder;
    HeldBatches batches;
    DispatchCounts counts = new DispatchCounts();

    @BeforeEach
    void threeQueuedEmails() {
        Fixtures.contacts(db.dsl(), CLOCK, """
                external_id,email,onboarded_at
                a,ann@example.com,2026-05-31T12:00:00Z
                b,bob@example.com,2026-05-31T12:00:00Z
                c,cy@example.com,2026-05-31T12:00:00Z
                """);
        Fixtures.campaign(db.dsl(), CLOCK, """
                key: welcome
                name: Welcome survey
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely are you to recommend Acme?
                templates: {email: nps-invite}
                """);
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(T);
        recorder = new SentRecorder(db.dsl(), queries, Dispatcher.UNRECORDED_LIMIT);
        batches = new HeldBatches(db.dsl(), queries);
    }

    @AfterEach
    void closeRecorder() {
        recorder.close();
    }

    Outcomes outcomes(LongUnaryOperator jitter) {
        return outcomes(jitter, 3);
    }

    Outcomes outcomes(LongUnaryOperator jitter, int maxAttempts) {
        DispatchOptions options = new DispatchOptions(100, 10, 4, 10, 4, 10, maxAttempts, Duration.ofSeconds(30),
                Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ZERO);
        Map<String, ChannelPause> pauses = CHANNELS.stream().collect(Collectors.toMap(Function.identity(),
                c -> new ChannelPause(() -> queries.throttledUntil(db.dsl(), c))));
        Map<String, ChannelHealth> health = CHANNELS.stream().collect(Collectors.toMap(Function.identity(),
                ChannelHealth::new));
        return new Outcomes(db.dsl(), queries, options, recorder, batches, pauses, health, jitter);
    }

    /** Claims the three emails as one batch, held by this test. */
    Claimed claim() {
        List<ClaimedMessage> claimed = queries.claim(db.dsl(), "email", T, 10, "node#1", Duration.ofMinutes(2));
        assertThat(claimed).hasSize(3);
        Batch batch = new Batch("node#1", System.nanoTime(), Duration.ofMinutes(2), claimed.size());
        batches.hold(batch);
        return new Claimed(claimed, batch);
    }

    record Claimed(List<ClaimedMessage> messages, Batch batch) {
    }

    MessageRecord row(ClaimedMessage m) {
        return db.dsl().selectFrom(MESSAGE).where(MESSAGE.ID.eq(m.id())).fetchOne();
    }

    @Test
    void theBackoffDoublesFromItsBaseWithHalfOfEachStepRandomAndIsCapped() {
        Outcomes least = outcomes(bound -> 0);
        Outcomes most = outcomes(bound -> bound);
        assertThat(least.backoff(1)).isEqualTo(Duration.ofSeconds(15));
        assertThat(most.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(least.backoff(3)).isEqualTo(Duration.ofSeconds(60));
        assertThat(most.backoff(3)).isEqualTo(Duration.ofSeconds(120));
        assertThat(most.backoff(30)).as("capped at the maximum").isEqualTo(Duration.ofMinutes(5));
        assertThat(least.backoff(30)).isEqualTo(Duration.ofSeconds(150));
    }

    @Test
    void aTemporaryFailureIsRequeuedAfterItsBackoffAndTheLastAttemptFails() {
        Claimed c = claim();
        Outcomes outcomes = outcomes(bound -> bound);
        ClaimedMessage first = c.messages().get(0);
        outcomes.record(first, new SendResult.Retry("421 try later"), T, c.batch(), counts);
        ClaimedMessage hinted = c.messages().get(1);
        outcomes.record(hinted, new SendResult.Retry("503 busy", Duration.ofSeconds(7), false), T, c.batch(), counts);
        ClaimedMessage last = c.messages().get(2);
        outcomes(bound -> bound, 1).record(last, new SendResult.Retry("421 still"), T, c.batch(), counts);

        assertThat(row(first).getStatus()).isEqualTo("queued");
        assertThat(row(first).getNotBefore().toInstant()).isEqualTo(T.plusSeconds(30));
        assertThat(row(first).getLastError()).isEqualTo("421 try later");
        assertThat(row(first).getAttempts()).as("the attempt counts").isEqualTo(1);
        assertThat(row(hinted).getNotBefore().toInstant()).as("the provider's own hint").isEqualTo(T.plusSeconds(7));
        assertThat(row(last).getStatus()).isEqualTo("failed");
        assertThat(row(last).getLastError()).isEqualTo("421 still");
        assertThat(counts.retried()).containsEntry("email", 2L);
        assertThat(counts.failed()).containsEntry("email", 1L);
        assertThat(db.dsl().fetchCount(DISPATCH_CLAIM)).as("the batch let go after its last outcome").isZero();
    }

    @Test
    void aThrottlingAnswerPausesTheChannelAndHoldsTheMessageWithoutCountingAnAttempt() {
        Claimed c = claim();
        Outcomes outcomes = outcomes(bound -> 0);
        ClaimedMessage m = c.messages().get(0);
        outcomes.record(m, new SendResult.Retry("421 4.7.0 slow down", Duration.ofSeconds(3), true), T, c.batch(), counts);

        Instant until = db.dsl().select(CHANNEL_RATE.THROTTLED_UNTIL).from(CHANNEL_RATE)
                .where(CHANNEL_RATE.CHANNEL.eq("email")).fetchOne(CHANNEL_RATE.THROTTLED_UNTIL).toInstant();
        assertThat(until).as("the channel paused for the provider's Retry-After")
                .isAfter(Instant.now().plusSeconds(2)).isBefore(Instant.now().plusSeconds(4));
        assertThat(row(m).getStatus()).isEqualTo("queued");
        assertThat(row(m).getAttempts()).as("not an attempt").isZero();
        assertThat(row(m).getNotBefore().toInstant()).isEqualTo(m.notBefore());
        assertThat(row(m).getHeldUntil().toInstant()).as("held until the pause ends").isAfter(Instant.now().plusSeconds(1));
        assertThat(counts.retried()).containsEntry("email", 1L);
        assertThat(db.dsl().fetchOne(DISPATCH_CLAIM).getMessageIds()).as("it left its batch")
                .doesNotContain(m.id()).hasSize(2);
    }

    @Test
    void aPermanentFailureWithASuppressionSuppressesTheContactOnTheChannel() {
        Claimed c = claim();
        ClaimedMessage m = c.messages().get(0);
        outcomes(bound -> 0).record(m, new SendResult.Failed("550 5.1.1 no such user", "hard_bounce"), T, c.batch(), counts);

        assertThat(row(m).getStatus()).isEqualTo("failed");
        assertThat(db.dsl().selectFrom(SUPPRESSION).fetch()).singleElement()
                .satisfies(s -> {
                    assertThat(s.getContactId()).isEqualTo(m.contactId());
                    assertThat(s.getChannel()).isEqualTo("email");
                    assertThat(s.getReason()).isEqualTo("hard_bounce");
                    assertThat(s.getSource()).isEqualTo("smtp");
                });
        assertThat(counts.failed()).containsEntry("email", 1L);
    }

    @Test
    void aSentMessageIsRecordedAndCountedAndTheBatchLetGoOnceAllAre() {
        Claimed c = claim();
        Outcomes outcomes = outcomes(bound -> 0);
        for (ClaimedMessage m : c.messages()) {
            outcomes.record(m.withToken("tok-" + m.id()), new SendResult.Sent("<id" + m.id() + ">", null), T, c.batch(), counts);
        }
        recorder.awaitRecorded();

        assertThat(c.messages()).allSatisfy(m -> {
            assertThat(row(m).getStatus()).isEqualTo("sent");
            assertThat(row(m).getProviderId()).isEqualTo("<id" + m.id() + ">");
            assertThat(row(m).getAttempts()).isEqualTo(1);
        });
        assertThat(counts.sent()).containsEntry("email", 3L);
        assertThat(db.dsl().fetchCount(DISPATCH_CLAIM)).isZero();
    }

    @Test
    void theChecksVerdictsCancelOrDeferAndOnlyASendGoesOn() {
        Claimed c = claim();
        Outcomes outcomes = outcomes(bound -> 0);
        ClaimedMessage cancelled = c.messages().get(0);
        ClaimedMessage deferred = c.messages().get(1);
        ClaimedMessage sent = c.messages().get(2);

        assertThat(outcomes.afterChecks(cancelled, new Verdict.Cancel("suppressed"), T, counts)).isFalse();
        assertThat(outcomes.afterChecks(deferred, new Verdict.Defer(T.plusSeconds(3600), "send_window"), T, counts)).isFalse();
        assertThat(outcomes.afterChecks(sent, new Verdict.Send(), T, counts)).isTrue();

        assertThat(row(cancelled).getStatus()).isEqualTo("cancelled");
        assertThat(row(cancelled).getLastError()).isEqualTo("suppressed");
        assertThat(row(deferred).getStatus()).isEqualTo("queued");
        assertThat(row(deferred).getNotBefore().toInstant()).isEqualTo(T.plusSeconds(3600));
        assertThat(row(deferred).getAttempts()).as("a deferral is not an attempt").isZero();
        assertThat(row(sent).getStatus()).isEqualTo("queued");
        assertThat(counts.cancelled()).containsEntry("suppressed", 1L);
        assertThat(counts.deferred()).containsEntry("send_window", 1L);
    }

    @Test
    void aMessageLetGoOrHeldBackLeavesItsBatchWithoutAnAttemptAndTheLastLetsTheBatchGo() {
        Claimed c = claim();
        Outcomes outcomes = outcomes(bound -> 0);
        ClaimedMessage letGo = c.messages().get(0);
        outcomes.letGo(letGo, T, c.batch());
        assertThat(row(letGo).getAttempts()).isZero();
        assertThat(row(letGo).getHeldUntil()).as("claimable again at once").isNull();
        assertThat(db.dsl().fetchOne(DISPATCH_CLAIM).getMessageIds()).doesNotContain(letGo.id());

        ClaimedMessage heldBack = c.messages().get(1);
        outcomes.holdBack(heldBack, T, c.batch());
        assertThat(row(heldBack).getAttempts()).isZero();
        outcomes.lost(c.messages().get(2), c.batch());
        assertThat(db.dsl().fetchCount(DISPATCH_CLAIM)).as("the batch let go after its last message").isZero();
    }
}
