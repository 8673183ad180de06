package io.surveycast.dispatch;

import java.time.Duration;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * This node's share of one channel's concurrency slots, as its senders use them. The slots are
 * rows shared by every node ({@link OutboxQueries#shareSlots}); a heartbeat renews them every
 * {@link #HEARTBEAT} for {@link #LEASE} and brings this node to its fair share: it takes free or
 * lapsed slots up to it, and gives back what it holds beyond it as its senders finish. A sender
 * takes a slot only while this node's hold on its slots has at least half of {@link #LEASE}
 * left (timed from before the renewal): a node that cannot renew stops starting sends a second
 * before another node may take its slots over, so a call of less than that started just before
 * ends before then. A node that died stops renewing,
 * and its slots come back to the others within {@link #LEASE} plus a heartbeat.
 */
final class SlotShare {
    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration HEARTBEAT = Duration.ofMillis(400);
    private final String channel;
    private final Supplier<OutboxQueries.Share> renew;
    private final IntConsumer giveBack;
    private int held;
    private int inUse;
    private int target;
    private long validUntilNanos = Long.MIN_VALUE;
    private boolean closed;

    /**
     * {@code renew}: renews this node's slots and takes its share (a statement); {@code giveBack}:
     * frees that many of its slots.
     */
    SlotShare(String channel, Supplier<OutboxQueries.Share> renew, IntConsumer giveBack) {
        this.channel = channel;
        this.renew = renew;
        this.giveBack = giveBack;
    }

    String channel() {
        return channel;
    }

    /** One heartbeat: renews, takes this node's share, gives back what it holds beyond it and does not use. */
    void heartbeat() {
        long before = System.nanoTime();
        OutboxQueries.Share share = renew.get();
        int excess;
        synchronized (this) {
            held = share.held();
            target = share.target();
            validUntilNanos = before + LEASE.toNanos() / 2;
            excess = Math.max(0, Math.min(held - target, held - inUse));
            held -= excess; // no sender may take these from now on
            notifyAll();
        }
        if (excess > 0) {
            giveBack.accept(excess);
        }
    }

    /** Slots this node may send on now: what it holds, at most its share. */
    synchronized int usable() {
        return Math.min(held, target);
    }

    /**
     * Waits for a slot this node holds and nobody here uses, while its hold is current; false when
     * {@code give up} says so first (the process stopping).
     */
    synchronized boolean acquire(java.util.function.BooleanSupplier giveUp) {
        while (!closed && !(inUse < Math.min(held, target) && System.nanoTime() < validUntilNanos)) {
            if (giveUp.getAsBoolean()) {
                return false;
            }
            try {
                wait(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (closed) {
            return false;
        }
        inUse++;
        return true;
    }

    synchronized void release() {
        inUse--;
        notifyAll();
    }

    /** No sender takes a slot any more (the channel's drain ended). */
    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
