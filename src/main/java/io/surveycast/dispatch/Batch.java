package io.surveycast.dispatch;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A batch this node claimed: its name in {@code dispatch_claim}, since when it is held (renewed;
 * this process's monotonic clock, read before the statement that renewed it) and for how long,
 * and how many of its messages still wait for their outcome to be recorded.
 */
final class Batch {
    private final String name;
    private volatile long heldSinceNanos;
    private volatile Duration lease;
    private final AtomicInteger open;

    Batch(String name, long claimedAtNanos, Duration lease, int messages) {
        this.name = name;
        this.heldSinceNanos = claimedAtNanos;
        this.lease = lease;
        this.open = new AtomicInteger(messages);
    }

    String name() {
        return name;
    }

    Duration lease() {
        return lease;
    }

    boolean isOpen() {
        return open.get() > 0;
    }

    /** Whether less than {@code needed} of its lease is left (this node's view). */
    boolean leftLessThan(Duration needed) {
        return heldSinceNanos + lease.toNanos() - System.nanoTime() < needed.toNanos();
    }

    /** Renewed for {@code renewedFor} by a statement sent at {@code sentAtNanos}. */
    void renewed(Duration renewedFor, long sentAtNanos) {
        lease = renewedFor;
        heldSinceNanos = sentAtNanos;
    }

    /** One more outcome recorded; true for the last. */
    boolean oneDone() {
        return open.decrementAndGet() == 0;
    }
}
