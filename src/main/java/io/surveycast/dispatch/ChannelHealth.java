package io.surveycast.dispatch;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a channel's provider has been answering on this node, told as changes: one line when the
 * channel starts failing ({@value #FAILURES_TO_FAIL} temporary failures in a row: one recipient's
 * greylisting is not the channel failing) or is throttled, one when it has recovered (answers
 * going through again and no failure for {@link #QUIET}), with how long it lasted and how many
 * answers were failures; never one per message. Times from the monotonic clock.
 */
final class ChannelHealth {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelHealth.class);
    static final int FAILURES_TO_FAIL = 3;
    static final Duration QUIET = Duration.ofSeconds(2);
    private final String channel;
    private volatile State state = State.OK;
    private long since;
    private long lastBad;
    private volatile int inARow;
    private long failures;
    private long throttles;

    enum State { OK, FAILING, THROTTLED }

    ChannelHealth(String channel) {
        this.channel = channel;
    }

    void sent() {
        if (state == State.OK && inARow == 0) {
            return; // the usual case, without the lock: a stale read only delays the count reset
        }
        synchronized (this) {
            inARow = 0;
            if (state != State.OK && System.nanoTime() - lastBad > QUIET.toNanos()) {
                LOG.info("{} channel recovered after {} ms: {} temporary failures, {} throttling answers", channel,
                        Duration.ofNanos(System.nanoTime() - since).toMillis(), failures, throttles);
                state = State.OK;
                failures = 0;
                throttles = 0;
            }
        }
    }

    synchronized void failed(String error) {
        failures++;
        lastBad = System.nanoTime();
        if (state == State.OK && ++inARow >= FAILURES_TO_FAIL) {
            state = State.FAILING;
            since = lastBad;
            LOG.warn("{} channel failing: {} temporary failures in a row, the last: {} (retried with backoff; "
                    + "one line when it recovers)", channel, inARow, error);
        }
    }

    /** The provider asked us to slow down; {@code pause}: how long the channel now waits. */
    synchronized void throttled(String error, Duration pause) {
        throttles++;
        lastBad = System.nanoTime();
        if (state != State.THROTTLED) {
            if (state == State.OK) {
                since = lastBad;
            }
            state = State.THROTTLED;
            LOG.warn("{} channel throttled by the provider: {}; the channel waits {} ms and slows down while it lasts",
                    channel, error, pause.toMillis());
        }
    }

    synchronized State state() {
        return state;
    }
}
