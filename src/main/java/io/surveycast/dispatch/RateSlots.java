package io.surveycast.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * The sending slots one channel loop booked of the channel's shared rate, handed out to senders
 * that hold a connection, earliest first. A slot belongs to the wall-clock second it falls in and
 * is used in that second or never: one that passed while no connection was free is dropped, not
 * caught up, so no second carries more sends than it has slots. The booking spaces every slot of
 * every node at least 1/rate apart (whole microseconds, rounded up), so a second has at most the
 * rate's slots. A slot used late must leave {@link #EDGE} before its second ends, so the request
 * reaches the provider within that second too.
 */
final class RateSlots {
    static final Duration EDGE = Duration.ofMillis(20);
    private static final long SECOND = 1_000_000_000L;
    private final ArrayDeque<long[]> blocks = new ArrayDeque<>(); // {next slot (epoch ns), spacing, left}
    private final LongSupplier wallNanos;

    RateSlots(LongSupplier wallNanos) {
        this.wallNanos = wallNanos;
    }

    static RateSlots realTime() {
        return new RateSlots(RateSlots::epochNanos);
    }

    static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * SECOND + now.getNano();
    }

    static long epochNanos(Instant at) {
        return at.getEpochSecond() * SECOND + at.getNano();
    }

    /** {@code n} slots from {@code first} (epoch ns), {@code spacing} apart. */
    synchronized void add(long first, long spacing, int n) {
        blocks.addLast(new long[] {first, spacing, n});
    }

    /** The earliest slot still usable now or later (epoch ns), dropping those that passed; -1 when none is left. */
    synchronized long take() {
        long now = wallNanos.getAsLong();
        while (!blocks.isEmpty()) {
            long[] b = blocks.peekFirst();
            long slot = b[0];
            b[0] += b[1];
            if (--b[2] == 0) {
                blocks.removeFirst();
            }
            if (slot > now || usable(slot, now)) {
                return slot;
            }
        }
        return -1;
    }

    /** Whether a send starting at {@code now} may use {@code slot}: in the slot's second, and on time or clear of its end. */
    static boolean usable(long slot, long now) {
        long secondEnds = Math.floorDiv(slot, SECOND) * SECOND + SECOND;
        return slot <= now && now < secondEnds && (now - slot < EDGE.toNanos() || now < secondEnds - EDGE.toNanos());
    }
}
