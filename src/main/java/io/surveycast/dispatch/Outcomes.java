package io.surveycast.dispatch;

import io.surveycast.channel.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping of what became of each claimed message, in plain code: cancelled or deferred by
 * the checks, recorded sent, retried after a back-off, failed (and suppressed), paused by a
 * provider's throttling answer, held back or let go. Each outcome also counts in the pass's
 * {@link DispatchCounts} and gives the message's place in its batch back.
 */
final class Outcomes {
    private static final Logger LOG = LoggerFactory.getLogger(Outcomes.class);
    private final DSLContext dsl;
    private final OutboxQueries queries;
    private final DispatchOptions options;
    private final SentRecorder recorder;
    private final HeldBatches batches;
    private final Map<String, ChannelPause> pauses;
    private final Map<String, ChannelHealth> health;
    /** The random half of a back-off step: a number from 0 to its argument, both included. */
    private final LongUnaryOperator jitter;

    Outcomes(DSLContext dsl, OutboxQueries queries, DispatchOptions options, SentRecorder recorder,
             HeldBatches batches, Map<String, ChannelPause> pauses, Map<String, ChannelHealth> health,
             LongUnaryOperator jitter) {
        this.dsl = dsl;
        this.queries = queries;
        this.options = options;
        this.recorder = recorder;
        this.batches = batches;
        this.pauses = pauses;
        this.health = health;
        this.jitter = jitter;
    }

    /**
     * What the checks before sending decided: true when the message goes on to the channel; a
     * cancelled message is finished, a deferred one back in the queue (the batch is trimmed to the
     * messages that go on by the caller).
     */
    boolean afterChecks(ClaimedMessage m, Verdict verdict, Instant now, DispatchCounts counts) {
        switch (verdict) {
            case Verdict.Cancel cancel -> {
                queries.cancel(dsl, m, cancel.reason(), now);
                counts.cancelled(m.channel(), cancel.reason());
                return false;
            }
            case Verdict.Defer defer -> {
                queries.requeue(dsl, m, defer.until(), null, false, null, now, null);
                counts.deferred(m.channel(), defer.reason());
                return false;
            }
            case Verdict.Send send -> {
                return true;
            }
        }
    }

    /** The channel's answer; the message's place in its batch is given back once it is recorded. */
    void record(ClaimedMessage m, SendResult result, Instant now, Batch batch, DispatchCounts counts) {
        switch (result) {
            case SendResult.Sent sent -> {
                health.get(m.channel()).sent();
                recorder.add(new SentRecorder.Sent(m.id(), sent.providerId(), sent.segments(), now,
                        m.isInvite() ? m.token() : null, () -> {
                            counts.sent(m.channel());
                            batches.finished(batch);
                        }));
                return;
            }
            case SendResult.Retry retry when retry.throttled() -> {
                Instant until = queries.throttle(dsl, m.channel(), retry.after());
                pauses.get(m.channel()).pausedUntil(until);
                Duration pause = Duration.between(Instant.now(), until);
                pause = pause.isNegative() ? Duration.ZERO : pause;
                health.get(m.channel()).throttled(retry.error(), pause);
                queries.requeue(dsl, m, m.notBefore(), retry.error(), false, pause, now, batch.name());
                counts.retried(m.channel());
            }
            case SendResult.Retry retry -> {
                health.get(m.channel()).failed(retry.error());
                if (m.attempts() >= options.maxAttempts()) {
                    queries.markFailed(dsl, m, retry.error(), now);
                    counts.failed(m.channel());
                    LOG.warn("message {} failed after {} attempts: {}", m.id(), m.attempts(), retry.error());
                } else {
                    Duration wait = retry.after() != null ? retry.after() : backoff(m.attempts());
                    queries.requeue(dsl, m, now.plus(wait), retry.error(), true, null, now, batch.name());
                    counts.retried(m.channel());
                }
            }
            case SendResult.Failed failed -> {
                dsl.transaction(tx -> {
                    queries.markFailed(tx.dsl(), m, failed.error(), now);
                    if (failed.suppress() != null) {
                        queries.suppress(tx.dsl(), m.contactId(), m.channel(), failed.suppress(),
                                m.channel().equals("email") ? "smtp" : "twilio", now);
                    }
                });
                counts.failed(m.channel());
            }
        }
        batches.finished(batch);
    }

    /** The message's template could not be rendered: failed, without an attempt at the channel. */
    void unrenderable(ClaimedMessage m, String error, Instant now, Batch batch, DispatchCounts counts) {
        LOG.warn("message {}: cannot render: {}", m.id(), error);
        queries.markFailed(dsl, m, "template: " + error, now);
        counts.failed(m.channel());
        batches.finished(batch);
    }

    /**
     * The channel was paused after this message's slot was booked: it goes back to the queue,
     * held until the pause ends (no attempt counted), rather than be sent into the throttling.
     */
    void holdBack(ClaimedMessage m, Instant now, Batch batch) {
        Duration left = pauses.get(m.channel()).left();
        queries.requeue(dsl, m, m.notBefore(), null, false, left, now, batch.name());
        batches.finished(batch);
    }

    /**
     * Stopping: the message was not handed to the channel, so it leaves its batch at once (no
     * attempt counted) and the next node, or this one after a restart, sends it without waiting
     * for the lease.
     */
    void letGo(ClaimedMessage m, Instant now, Batch batch) {
        queries.requeue(dsl, m, m.notBefore(), null, false, null, now, batch.name());
        batches.finished(batch);
    }

    /** The batch was taken over by another node (or the message is no longer queued): not sent here. */
    void lost(ClaimedMessage m, Batch batch) {
        LOG.info("message {}: claim lost to another node or message no longer queued, not sent here", m.id());
        batches.finished(batch);
    }

    /** Not sent, or sent and failing to be recorded: the batch lets the message go rather than hold it for its lease. */
    void abandoned(Batch batch) {
        batches.finished(batch);
    }

    /** Exponential with "equal jitter": half the step fixed, half random, capped. */
    Duration backoff(int attempt) {
        long base = options.backoffBase().toMillis();
        long step = Math.min(options.backoffMax().toMillis(), base << Math.min(20, Math.max(0, attempt - 1)));
        return Duration.ofMillis(step / 2 + jitter.applyAsLong(step / 2));
    }
}
