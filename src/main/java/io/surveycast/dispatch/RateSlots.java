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
 * rate's slots. A send must leave a little before its slot's second ends ({@link #EDGE}, or
 * {@link #LATE_EDGE} when it is more than that late), so the request reaches the provider within
 * that second too; a slot in the very last {@link #EDGE} of a second is therefore never used
 * (at most 1% of the rate).
 */
final class RateSlots {
    static final Duration EDGE = Duration.ofMillis(10);
    static final Duration LATE_EDGE = Duration.ofMillis(25);
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
            if (usable(slot, Math.max(slot, now))) {
                return slot;
            }
        }
        return -1;
    }

    /** Whether a send starting at {@code now} may use {@code slot}: in the slot's second and clear of its end. */
    static boolean usable(long slot, long now) {
        long secondEnds = Math.floorDiv(slot, SECOND) * SECOND + SECOND;
        long edge = now - slot < LATE_EDGE.toNanos() ? EDGE.toNanos() : LATE_EDGE.toNanos();
        return slot <= now && now < secondEnds - edge;
    }
}
