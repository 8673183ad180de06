package io.surveycast.dispatch;

import io.surveycast.channel.OutboundMessage;
import io.surveycast.plan.PlanCampaign;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * One pass of one channel on this node: holds the channel's share of the concurrency slots, the
 * rate it booked, the messages in flight and the pass's counts, and sends batch after batch until
 * nothing claimable is due at {@code now}. Claims about a second of what this node sends (its
 * slots times the sends a slot makes in a second, at most the channel's batch), so that the nodes
 * sending on a channel each claim a share of a wave; checks each message, books sending slots at
 * the channel's shared rate, hands the messages to the channel's senders, and leaves the outcomes
 * to {@link Outcomes}.
 */
final class ChannelDrain {
    /** Unlimited rate: a few messages per task, which a sender sends one after the other. */
    private static final int MESSAGES_PER_TASK = 10;
    private static final long STOP_CHECK_NANOS = Duration.ofMillis(100).toNanos();
    private final Dispatcher.Node node;
    private final String channel;
    private final Instant now;
    private final Clock pass;
    private final Map<Long, PlanCampaign> campaigns;
    private final DispatchCounts counts;
    private final double rate;
    private final int batch;
    /** How long a claim holds: the lease, plus the wait behind two batches at the channel's rate. */
    private final Duration lease;
    private final SlotShare slots;
    private final Booking booked = new Booking();
    private final Room inFlight = new Room();
    private final List<Future<?>> pending = new ArrayList<>();

    ChannelDrain(Dispatcher.Node node, String channel, Instant now, Clock pass, Map<Long, PlanCampaign> campaigns,
                 DispatchCounts counts) {
        this.node = node;
        this.channel = channel;
        this.now = now;
        this.pass = pass;
        this.campaigns = campaigns;
        this.counts = counts;
        DispatchOptions options = node.options();
        this.rate = options.rate(channel);
        this.batch = options.batch(channel);
        this.lease = rate > 0 ? options.lease().plus(Duration.ofMillis((long) (2 * batch * 1000 / rate))) : options.lease();
        this.slots = node.slotShare(channel);
    }

    /** Sends until nothing claimable is due, then gives the channel's slots back. */
    void run() {
        node.joined(slots);
        try {
            if (!awaitSlots()) {
                return;
            }
            while (!node.stopping()) {
                int want = nextClaim();
                inFlight.acquire(want, 2L * want); // room for the whole claim before claiming it
                if (node.stopping()) {
                    inFlight.release(want);
                    break;
                }
                if (!claimAndSubmit(want)) {
                    break;
                }
                pending.removeIf(f -> f.isDone() && done(f));
                if (slots.usable() == 0 && !awaitSlots()) {
                    break;
                }
            }
            await(pending);
            node.recorder().awaitRecorded();
        } finally {
            node.left(slots);
        }
    }

    /** Waits until this node holds a slot of the channel; false when nothing is due any more or stopping. */
    private boolean awaitSlots() {
        long probe = System.nanoTime();
        while (slots.usable() == 0) {
            if (node.stopping()) {
                return false;
            }
            if (System.nanoTime() - probe > Duration.ofMillis(200).toNanos()) {
                if (!node.queries().anyDue(node.dsl(), now)) {
                    return false;
                }
                probe = System.nanoTime();
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // every slot is busy on other nodes
        }
        return true;
    }

    /**
     * How many to claim next: about a second of this node's sending (its slots times the sends one
     * makes in a second), at least two per slot, at most the channel's batch; at a limited rate,
     * once what is booked runs out within a second, and at most a second at the channel's current
     * (possibly slowed) rate.
     */
    private int nextClaim() {
        int usable = Math.max(1, slots.usable());
        long perSecond = node.callTimes(channel).perSecond(usable);
        int ours = (int) Math.min(batch, Math.max(2L * usable, perSecond));
        if (rate <= 0) {
            return ours;
        }
        int atRate = booked.nextClaim(batch, rate);
        // slower than the channel's rate (a slow provider, a share of the slots): as many as this
        // node sends at once, so that its bookings interleave with the other nodes' instead of
        // booking a run of slots at the channel's rate that its senders could not keep up with
        return perSecond > 0 && perSecond < atRate ? Math.min(atRate, usable) : Math.min(ours, atRate);
    }

    /** Claims up to {@code want} messages, checks them and hands those that pass to the senders; false when none was due. */
    private boolean claimAndSubmit(int want) {
        long claimedAt = System.nanoTime();
        // each claim has its own name: a message this node claims again after its lease ran out
        // (queued here too long) is sent by the newer claim only
        String claimName = node.nextClaimName();
        List<ClaimedMessage> claimed = node.queries().claim(node.dsl(), channel, now, want, claimName, lease);
        if (claimed.isEmpty()) {
            inFlight.release(want);
            return false;
        }
        List<ClaimedMessage> ready = new ArrayList<>();
        Map<Long, Integer> readyPerContact = new HashMap<>(); // the weekly cap counts these as sent
        for (ClaimedMessage m : claimed) {
            if (m.token() == null) {
                m = m.withToken(node.tokens().forInvitation(m.invitationId()));
            }
            Verdict verdict = node.checks().check(m, campaigns.get(m.campaignId()), now,
                    readyPerContact.getOrDefault(m.contactId(), 0));
            if (node.outcomes().afterChecks(m, verdict, now, counts)) {
                ready.add(m);
                readyPerContact.merge(m.contactId(), 1, Integer::sum);
            }
        }
        inFlight.release(want - ready.size()); // each submitted message gives its place back when done
        Batch held = new Batch(claimName, claimedAt, lease, ready.size());
        if (ready.isEmpty()) {
            node.queries().release(node.dsl(), claimName);
            return true;
        }
        node.batches().hold(held);
        if (ready.size() < claimed.size()) {
            node.queries().keepOnly(node.dsl(), claimName, ready.stream().map(ClaimedMessage::id).toArray(Long[]::new));
        }
        submit(ready, held);
        return true;
    }

    /**
     * Hands the batch to the channel's senders: at a limited rate one message per task, each at its
     * slot of the channel's shared rate; unlimited, a few messages per task, which a sender sends
     * one after the other (a task per message cost a hand-over between threads per message).
     */
    private void submit(List<ClaimedMessage> ready, Batch held) {
        if (rate > 0) {
            book(ready.size(), held);
        }
        ExecutorService senders = node.senders(channel);
        int perTask = rate > 0 ? 1 : MESSAGES_PER_TASK;
        for (int from = 0; from < ready.size(); from += perTask) {
            List<ClaimedMessage> task = ready.subList(from, Math.min(ready.size(), from + perTask));
            pending.add(senders.submit(() -> sendTask(task, held)));
        }
    }

    /** Books {@code n} slots of the channel's shared rate; a batch that waits long for them is held for the wait too. */
    private void book(int n, Batch held) {
        OutboxQueries.Slots booking = node.queries().reserveSlots(node.dsl(), channel, n, rate);
        long start = toNanoTime(booking.start());
        long spacing = booking.spacing().toNanos();
        booked.booked(start + n * spacing, spacing);
        booked.slots.add(RateSlots.epochNanos(booking.start()), spacing, n);
        long untilStart = start - System.nanoTime();
        if (untilStart > held.lease().toNanos() / 4) {
            // the channel is paused (a provider's throttling answer) or booked ahead: the batch is
            // held for that wait too, rather than taken over while it waits and its attempts counted
            Duration holdFor = Duration.ofNanos(untilStart).plus(held.lease());
            long sentAt = System.nanoTime();
            if (node.queries().hold(node.dsl(), held.name(), holdFor)) {
                held.renewed(holdFor, sentAt);
            }
        }
    }

    private void sendTask(List<ClaimedMessage> task, Batch held) {
        try {
            if (!slots.acquire(node::stopping)) {
                for (ClaimedMessage m : task) {
                    node.outcomes().letGo(m, pass.instant(), held);
                }
                return;
            }
            try {
                if (rate > 0) {
                    // a connection first, then the earliest slot still usable: a slot that passed
                    // while no connection was free is dropped, never caught up in a burst
                    awaitUsableSlot();
                }
                for (int i = 0; i < task.size(); i++) {
                    ClaimedMessage m = task.get(i);
                    try {
                        if (node.stopping()) {
                            node.outcomes().letGo(m, pass.instant(), held);
                        } else if (rate > 0 && node.pause(channel).isPaused()) {
                            // booked before the provider's throttling answer that paused the channel
                            node.outcomes().holdBack(m, pass.instant(), held);
                        } else {
                            sendOne(m, held);
                        }
                    } catch (RuntimeException e) {
                        // not sent, or sent and failing to be recorded: either way the batch lets
                        // this message and the rest of the task go rather than hold them for its lease
                        for (int j = i; j < task.size(); j++) {
                            node.outcomes().abandoned(held);
                        }
                        throw e;
                    }
                }
            } finally {
                slots.release();
            }
        } finally {
            inFlight.release(task.size());
        }
    }

    private void sendOne(ClaimedMessage m, Batch held) {
        // a batch with less left of its lease than a provider call may take (or past half its
        // lease) may have been taken over: renew it, or leave the message
        if (held.leftLessThan(node.confirmBelow(held.lease()))) {
            long sentAt = System.nanoTime();
            if (!node.queries().confirm(node.dsl(), m.id(), held.name(), node.options().lease())) {
                node.outcomes().lost(m, held);
                return;
            }
            held.renewed(node.options().lease(), sentAt);
        }
        OutboundMessage outbound;
        try {
            outbound = node.renderer().render(m, campaigns.get(m.campaignId()), pass.instant());
        } catch (RuntimeException e) {
            node.outcomes().unrenderable(m, e.getMessage(), pass.instant(), held, counts);
            return;
        }
        long callStart = System.nanoTime();
        var result = node.gateway().send(outbound);
        node.callTimes(channel).took(System.nanoTime() - callStart);
        node.outcomes().record(m, result, pass.instant(), held, counts);
    }

    /**
     * Parks until a slot of the channel's shared rate this send may use; when every slot this drain
     * booked has passed unused, books one more (at the end of what every node booked).
     */
    private void awaitUsableSlot() {
        while (!node.stopping()) {
            long slot = booked.slots.take();
            if (slot < 0) {
                OutboxQueries.Slots fresh = node.queries().reserveSlots(node.dsl(), channel, 1, rate);
                slot = RateSlots.epochNanos(fresh.start());
            }
            awaitNanoTime(System.nanoTime() + (slot - RateSlots.epochNanos()));
            if (RateSlots.usable(slot, RateSlots.epochNanos())) {
                return;
            }
        }
    }

    /** Parks until {@code at} (nanoTime), waking early when the process starts stopping. */
    private void awaitNanoTime(long at) {
        long wait;
        while ((wait = at - System.nanoTime()) > 0 && !node.stopping()) {
            LockSupport.parkNanos(Math.min(wait, STOP_CHECK_NANOS));
        }
    }

    /** What this drain has booked of the shared rate: until when, at what spacing, and its slots. */
    private final class Booking {
        final RateSlots slots = RateSlots.realTime();
        private long untilNanos = Long.MIN_VALUE;
        private long spacingNanos;

        void booked(long until, long spacing) {
            untilNanos = until;
            spacingNanos = spacing;
        }

        /** Waits until what is booked runs out within a second; returns how many to claim at most. */
        int nextClaim(int batch, double rate) {
            if (untilNanos != Long.MIN_VALUE) {
                awaitNanoTime(untilNanos - Duration.ofSeconds(1).toNanos());
            }
            if (spacingNanos == 0) {
                return batch;
            }
            double perSecond = 1e9 / spacingNanos; // below the configured rate while recovering from throttling
            return (int) Math.max(1, Math.min(batch, Math.ceil(Math.min(rate, perSecond))));
        }
    }

    private static long toNanoTime(Instant wall) {
        return System.nanoTime() + Duration.between(Instant.now(), wall).toNanos();
    }

    /** True for a task that finished normally; a failed one throws its failure here. */
    private static boolean done(Future<?> f) {
        await(List.of(f));
        return true;
    }

    static void await(List<? extends Future<?>> futures) {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while dispatching", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("dispatch failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /**
     * Room for messages in flight: the claiming loop waits until a claim fits under a limit (two
     * claims' worth), each message gives its place back when done. Unlike a Semaphore, a release
     * wakes the waiting loop only once there is room for what it waits for, not once per message.
     */
    static final class Room {
        private long inFlight;
        private long wantedBelow = Long.MAX_VALUE;

        synchronized void acquire(long n, long limit) {
            boolean interrupted = false;
            while (inFlight > 0 && inFlight + n > limit) {
                wantedBelow = limit - n;
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            wantedBelow = Long.MAX_VALUE;
            inFlight += n;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized void release(long n) {
            inFlight -= n;
            if (inFlight <= wantedBelow) {
                notifyAll();
            }
        }
    }
}
