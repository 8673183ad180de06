package io.surveycast.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Whether a channel is paused by a provider's throttling answer, as this node knows it: at once
 * for an answer it got itself, and within {@link #REFRESH} for one another node got (the pause is
 * read again from the channel's row at most that often, and only while the channel is being
 * sent on). Checked before each rate-limited send, so slots booked before the pause are not used.
 */
final class ChannelPause {
    static final Duration REFRESH = Duration.ofMillis(200);
    private final Supplier<Instant> shared;
    private final AtomicLong untilNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong readAtNanos = new AtomicLong(System.nanoTime() - REFRESH.toNanos());

    ChannelPause(Supplier<Instant> shared) {
        this.shared = shared;
    }

    /** This node got a throttling answer: paused until {@code until} (real time). */
    void pausedUntil(Instant until) {
        untilNanos.accumulateAndGet(toNanoTime(until), Math::max);
    }

    boolean isPaused() {
        long now = System.nanoTime();
        long read = readAtNanos.get();
        if (now - read >= REFRESH.toNanos() && readAtNanos.compareAndSet(read, now)) {
            Instant until = shared.get();
            if (until != null) {
                pausedUntil(until);
            }
        }
        return now < untilNanos.get();
    }

    Duration left() {
        return Duration.ofNanos(Math.max(0, untilNanos.get() - System.nanoTime()));
    }

    private static long toNanoTime(Instant wall) {
        return System.nanoTime() + Duration.between(Instant.now(), wall).toNanos();
    }
}
