package io.surveycast.dispatch;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.channel.OutboundMessage;
import io.surveycast.channel.SendResult;
import io.surveycast.channel.TemplateStore;
import io.surveycast.config.AppSecrets;
import io.surveycast.config.DatabaseOutage;
import io.surveycast.plan.PlanCampaign;
import io.surveycast.plan.Planner;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what is due from the outbox. Per channel: claim a batch (FOR UPDATE SKIP LOCKED, with a
 * lease so a dead node's claims are taken over) and read it in the same statement, give each
 * invitation without one its derived survey token, check each message again (consent, state,
 * fatigue, send window), render it, reserve sending slots at the channel's shared rate, hand it
 * to the channel on a bounded pool of senders, and record the outcome: sent, retried with
 * exponential backoff and jitter, or failed after the last attempt.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final List<String> CHANNELS = List.of("email", "sms");
    private final DSLContext dsl;
    private final Clock clock;
    private final Planner planner;
    private final ChannelGateway gateway;
    private final MessageRenderer renderer;
    private final SendChecks checks;
    private final DispatchOptions options;
    private final OutboxQueries queries = new OutboxQueries();
    private final String node = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, ExecutorService> senders;
    private final java.util.concurrent.atomic.AtomicLong claims = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.Set<String> slotsCreated = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ExecutorService channelLoops = Executors.newFixedThreadPool(CHANNELS.size(), named("dispatch"));
    /** Accepted by the provider, not yet recorded: at most this many, which a crash could send twice. */
    static final int UNRECORDED_LIMIT = 64;
    private static final int MESSAGES_PER_TASK = 10;
    /** Batches with messages not yet recorded, renewed by {@link #keeper} while this node lives. */
    private final java.util.Set<Claim> heldClaims = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ScheduledExecutorService keeper =
            Executors.newSingleThreadScheduledExecutor(named("dispatch-lease"));
    private final SentRecorder recorder;
    private final SurveyTokens tokens;
    private final DatabaseOutage outage = DatabaseOutage.process();
    /** Until when a provider's throttling answer (on any node) paused each channel: slots booked before are not used. */
    private final Map<String, ChannelPause> pausedUntil;
    private final Map<String, ChannelHealth> health = CHANNELS.stream()
            .collect(Collectors.toMap(Function.identity(), ChannelHealth::new));
    /** Set once the process is stopping: no batch is claimed, and a message not yet handed over is let go. */
    private volatile boolean stopping;
    private final java.util.concurrent.atomic.AtomicInteger activeLoops = new java.util.concurrent.atomic.AtomicInteger();

    public Dispatcher(DSLContext dsl, Clock clock, FatiguePolicy fatigue, TemplateStore templates, ChannelGateway gateway,
                      DispatchOptions options, String publicUrl, String company, String mailFrom) {
        this.dsl = dsl;
        this.recorder = new SentRecorder(dsl, queries, UNRECORDED_LIMIT);
        this.tokens = new SurveyTokens(() -> AppSecrets.named(dsl, "survey-token"));
        this.clock = clock;
        this.planner = new Planner(fatigue);
        this.gateway = gateway;
        this.renderer = new MessageRenderer(templates, publicUrl, company, mailFrom);
        this.checks = new SendChecks(fatigue);
        this.options = options;
        // while alive, this node renews its batches (and its channel slots) every quarter lease, so a
        // provider call longer than the lease is not taken over mid-call and sent a second time; a
        // dead node stops renewing and its batches are taken over once the lease runs out
        long every = Math.max(100, options.lease().toMillis() / 4);
        keeper.scheduleWithFixedDelay(this::renewHeld, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        this.pausedUntil = CHANNELS.stream().collect(Collectors.toMap(Function.identity(),
                c -> new ChannelPause(() -> queries.throttledUntil(dsl, c))));
        this.senders = CHANNELS.stream().collect(Collectors.toMap(Function.identity(),
                c -> Executors.newFixedThreadPool(options.concurrency(c), named("send-" + c))));
    }

    /** One pass: sends everything due now that no other node holds; what fails is queued for a retry. */
    public DispatchCounts dispatchDue() {
        // a live pass stamps the process clock's own time: with a simulated SURVEYCAST_CLOCK=fixed:T
        // that is T, so nothing is stamped after the time the rest of the server (answers) lives in
        return dispatchDue(clock.instant(), clock);
    }

    /** One pass at {@code now}: every channel, batch after batch, until nothing claimable is due. */
    public DispatchCounts dispatchDue(Instant now) {
        // sent times and Date headers: the pass's instant plus the real time spent since, so a
        // simulated run (run-due --at T) stamps T and the moments after it
        return dispatchDue(now, Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), now)));
    }

    private DispatchCounts dispatchDue(Instant now, Clock pass) {
        try {
            DispatchCounts counts = pass(now, pass);
            outage.reached();
            return counts;
        } catch (RuntimeException e) {
            if (DatabaseOutage.isConnectionLoss(e)) {
                outage.lost("dispatching", e); // one line per outage; the timer's next pass tries again
                return new DispatchCounts();
            }
            throw e;
        }
    }

    private DispatchCounts pass(Instant now, Clock pass) {
        if (stopping || !queries.anyDue(dsl, now)) {
            return new DispatchCounts(); // the usual case for a server between waves: one indexed probe
        }
        Map<Long, PlanCampaign> campaigns = planner.campaigns(dsl).stream()
                .collect(Collectors.toMap(PlanCampaign::id, Function.identity()));
        DispatchCounts counts = new DispatchCounts();
        List<Future<?>> loops = new ArrayList<>();
        try {
            for (String channel : CHANNELS) {
                loops.add(channelLoops.submit(() -> drainChannel(channel, now, pass, campaigns, counts)));
            }
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // stopping: the loops already started finish below
        }
        await(loops);
        return counts;
    }

    /**
     * Dispatches until no message due at {@code now} is left queued, waiting for messages other
     * nodes hold; messages whose retry falls after {@code now} are left for later.
     */
    public DispatchCounts drain(Instant now) {
        DispatchCounts total = new DispatchCounts();
        while (true) {
            total.addAll(dispatchDue(now));
            if (stopping || !queries.anyDue(dsl, now)) {
                return total;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // held by another node: wait for it or its lease
        }
    }

    private void drainChannel(String channel, Instant now, Clock pass, Map<Long, PlanCampaign> campaigns,
                              DispatchCounts counts) {
        activeLoops.incrementAndGet();
        try {
            drainChannelLoop(channel, now, pass, campaigns, counts);
        } finally {
            synchronized (activeLoops) {
                activeLoops.decrementAndGet();
                activeLoops.notifyAll();
            }
        }
    }

    private void drainChannelLoop(String channel, Instant now, Clock pass, Map<Long, PlanCampaign> campaigns,
                                  DispatchCounts counts) {
        int batch = options.batch(channel);
        Duration lease = options.lease();
        if (options.rate(channel) > 0) {
            // a claimed message may wait behind two batches at the channel's rate
            lease = lease.plus(Duration.ofMillis((long) (2 * batch * 1000 / options.rate(channel))));
        }
        if (slotsCreated.add(channel)) {
            queries.createSlots(dsl, channel, options.concurrency(channel));
        }
        // the channel's concurrency holds across nodes: send on as many slots as this node got
        int slots;
        while ((slots = queries.leaseSlots(dsl, channel, options.concurrency(channel), options.concurrency(channel),
                node, lease)) == 0) {
            if (stopping || !queries.anyDue(dsl, now)) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // every slot is busy on other nodes
        }
        Semaphore senders = new Semaphore(slots);
        // up to two batches in flight: the next batch is claimed and checked while this one goes out
        Room inFlight = new Room(2 * batch);
        List<Future<?>> pending = new ArrayList<>();
        try {
            Booking booked = new Booking();
            while (!stopping) {
                // at a limited rate, claim only once what is booked runs out within a second, and about
                // a second's worth at the channel's current (possibly slowed) rate: a slowed channel's
                // rate then comes back within a second of its recovery, not after a batch booked slow
                int want = options.rate(channel) > 0 ? booked.nextClaim(batch, options.rate(channel)) : batch;
                inFlight.acquireUninterruptibly(want); // room for the whole claim before claiming it
                if (stopping) {
                    inFlight.release(want);
                    break;
                }
                long claimedAt = System.nanoTime();
                // each claim has its own name: a message this node claims again after its lease ran out
                // (queued here too long) is sent by the newer claim only
                String claimName = node + "#" + claims.incrementAndGet();
                List<ClaimedMessage> claimed = queries.claim(dsl, channel, now, want, claimName, lease);
                if (claimed.isEmpty()) {
                    inFlight.release(want);
                    break;
                }
                List<ClaimedMessage> ready = new ArrayList<>();
                Map<Long, Integer> readyPerContact = new HashMap<>(); // the weekly cap counts these as sent
                for (ClaimedMessage m : claimed) {
                    if (m.token() == null) {
                        m = m.withToken(tokens.forInvitation(m.invitationId()));
                    }
                    if (checked(m, campaigns.get(m.campaignId()), now, counts,
                            readyPerContact.getOrDefault(m.contactId(), 0))) {
                        ready.add(m);
                        readyPerContact.merge(m.contactId(), 1, Integer::sum);
                    }
                }
                inFlight.release(want - ready.size()); // each submitted message gives its permit back when done
                Claim held = new Claim(claimName, claimedAt, lease, ready.size());
                if (!ready.isEmpty()) {
                    held(held);
                }
                if (ready.isEmpty()) {
                    queries.release(dsl, claimName);
                } else if (ready.size() < claimed.size()) {
                    queries.keepOnly(dsl, claimName, ready.stream().map(ClaimedMessage::id).toArray(Long[]::new));
                }
                submit(channel, ready, campaigns, pass, held, senders, inFlight, pending, counts, booked);
                queries.renewSlots(dsl, channel, node, lease);
                pending.removeIf(f -> f.isDone() && done(f));
            }
            await(pending);
            recorder.awaitRecorded();
        } finally {
            queries.releaseSlots(dsl, channel, node);
        }
    }

    /** The checks before sending; false when the message was cancelled or held back instead. */
    private boolean checked(ClaimedMessage m, PlanCampaign campaign, Instant now, DispatchCounts counts,
                            int passedInBatch) {
        switch (checks.check(m, campaign, now, passedInBatch)) {
            case Verdict.Cancel cancel -> {
                queries.cancel(dsl, m, cancel.reason(), now);
                counts.cancelled(cancel.reason());
                return false;
            }
            case Verdict.Defer defer -> {
                queries.requeue(dsl, m, defer.until(), null, false, null, now, null); // the batch is trimmed after the checks
                counts.deferred(defer.reason());
                return false;
            }
            case Verdict.Send send -> {
                return true;
            }
        }
    }

    /**
     * Hands the batch to the channel's senders: at a limited rate one message per task, each at its
     * slot of the channel's shared rate; unlimited, a few messages per task, which a sender sends
     * one after the other (a task per message cost a hand-over between threads per message).
     */
    private void submit(String channel, List<ClaimedMessage> ready, Map<Long, PlanCampaign> campaigns, Clock pass,
                        Claim claim, Semaphore senders, Room inFlight, List<Future<?>> pending,
                        DispatchCounts counts, Booking booked) {
        if (ready.isEmpty()) {
            return;
        }
        double rate = options.rate(channel);
        OutboxQueries.Slots slots = rate > 0 ? queries.reserveSlots(dsl, channel, ready.size(), rate) : null;
        long start = rate > 0 ? toNanoTime(slots.start()) : 0;
        long spacing = rate > 0 ? slots.spacing().toNanos() : 0;
        if (rate > 0) {
            booked.booked(start + ready.size() * spacing, spacing);
            booked.slots.add(RateSlots.epochNanos(slots.start()), spacing, ready.size());
        }
        long untilStart = start - System.nanoTime();
        if (rate > 0 && untilStart > claim.lease().toNanos() / 4) {
            // the channel is paused (a provider's throttling answer) or booked ahead: the batch is
            // held for that wait too, rather than taken over while it waits and its attempts counted
            Duration held = Duration.ofNanos(untilStart).plus(claim.lease());
            if (queries.hold(dsl, claim.name(), held)) {
                claim.renewed(held);
            }
        }
        int perTask = rate > 0 ? 1 : MESSAGES_PER_TASK;
        for (int from = 0; from < ready.size(); from += perTask) {
            List<ClaimedMessage> task = ready.subList(from, Math.min(ready.size(), from + perTask));
            pending.add(this.senders.get(channel).submit(() -> {
                try {
                    senders.acquireUninterruptibly();
                    try {
                        if (rate > 0) {
                            // a connection first, then the earliest slot still usable: a slot that passed
                            // while no connection was free is dropped, never caught up in a burst
                            awaitUsableSlot(channel, rate, booked.slots);
                        }
                        for (int i = 0; i < task.size(); i++) {
                            ClaimedMessage m = task.get(i);
                            try {
                                if (stopping) {
                                    letGo(m, claim, pass.instant());
                                    continue;
                                }
                                if (rate > 0 && pausedUntil.get(channel).isPaused()) {
                                    // booked before the provider's throttling answer that paused the channel
                                    holdBack(m, claim, pass.instant());
                                    continue;
                                }
                                sendOne(m, campaigns.get(m.campaignId()), pass, claim, counts);
                            } catch (RuntimeException e) {
                                // not sent, or sent and failing to be recorded: either way the batch lets
                                // this message and the rest of the task go rather than hold them for its lease
                                for (int j = i; j < task.size(); j++) {
                                    finished(claim);
                                }
                                throw e;
                            }
                        }
                    } finally {
                        senders.release();
                    }
                } finally {
                    inFlight.release(task.size());
                }
            }));
        }
    }

    /**
     * The channel was paused after this message's slot was booked: it goes back to the queue,
     * held until the pause ends (no attempt counted), rather than be sent into the throttling.
     */
    private void holdBack(ClaimedMessage m, Claim claim, Instant now) {
        Duration left = pausedUntil.get(m.channel()).left();
        queries.requeue(dsl, m, m.notBefore(), null, false, left, now, claim.name());
        finished(claim);
    }

    /**
     * Parks until a slot of the channel's shared rate this send may use; when every slot this loop
     * booked has passed unused, books one more (at the end of what every node booked).
     */
    private void awaitUsableSlot(String channel, double rate, RateSlots slots) {
        while (!stopping) {
            long slot = slots.take();
            if (slot < 0) {
                OutboxQueries.Slots fresh = queries.reserveSlots(dsl, channel, 1, rate);
                slot = RateSlots.epochNanos(fresh.start());
            }
            awaitSlot(System.nanoTime() + (slot - RateSlots.epochNanos()));
            if (RateSlots.usable(slot, RateSlots.epochNanos())) {
                return;
            }
        }
    }

    /** What this channel loop has booked of the shared rate: until when, at what spacing, and its slots. */
    private final class Booking {
        final RateSlots slots = RateSlots.realTime();
        private long untilNanos = Long.MIN_VALUE;
        private long spacingNanos;

        void booked(long until, long spacing) {
            untilNanos = until;
            spacingNanos = spacing;
        }

        /** Waits until what is booked runs out within a second; returns how many to claim. */
        int nextClaim(int batch, double rate) {
            if (untilNanos != Long.MIN_VALUE) {
                awaitSlot(untilNanos - Duration.ofSeconds(1).toNanos());
            }
            if (spacingNanos == 0) {
                return batch;
            }
            double perSecond = 1e9 / spacingNanos; // below the configured rate while recovering from throttling
            return (int) Math.max(1, Math.min(batch, Math.ceil(Math.min(rate, perSecond))));
        }
    }

    /** Parks until the slot, waking early when the process starts stopping. */
    private void awaitSlot(long slot) {
        long wait;
        while ((wait = slot - System.nanoTime()) > 0 && !stopping) {
            LockSupport.parkNanos(Math.min(wait, STOP_CHECK_NANOS));
        }
    }

    private static final long STOP_CHECK_NANOS = Duration.ofMillis(100).toNanos();

    /**
     * Stopping: the message was not handed to the channel, so it leaves its batch at once (no
     * attempt counted) and the next node, or this one after a restart, sends it without waiting
     * for the lease.
     */
    private void letGo(ClaimedMessage m, Claim claim, Instant now) {
        queries.requeue(dsl, m, m.notBefore(), null, false, null, now, claim.name());
        finished(claim);
    }

    /**
     * The first step of stopping the process: no batch is claimed from now on, messages claimed but
     * not yet handed to a channel are let go, and those on the wire finish and are recorded; waits
     * up to {@code patience} for that. What is still running after it is left to its lease.
     * Returns whether everything finished in time.
     */
    public boolean stopTaking(Duration patience) {
        stopping = true;
        long deadline = System.nanoTime() + patience.toNanos();
        synchronized (activeLoops) {
            long left;
            while (activeLoops.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    activeLoops.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return activeLoops.get() == 0;
        }
    }

    private void sendOne(ClaimedMessage m, PlanCampaign campaign, Clock pass, Claim claim, DispatchCounts counts) {
        // past half its lease a claim may have been taken over: renew it, or leave the message
        if (claim.pastHalf()) {
            if (!queries.confirm(dsl, m.id(), claim.name(), options.lease())) {
                LOG.info("message {}: claim lost to another node or message no longer queued, not sent here", m.id());
                finished(claim);
                return;
            }
            claim.renewed(options.lease());
        }
        OutboundMessage outbound;
        try {
            outbound = renderer.render(m, campaign, pass.instant());
        } catch (RuntimeException e) {
            LOG.warn("message {}: cannot render: {}", m.id(), e.getMessage());
            queries.markFailed(dsl, m, "template: " + e.getMessage(), pass.instant());
            counts.failed(m.channel());
            finished(claim);
            return;
        }
        record(m, gateway.send(outbound), pass.instant(), claim, counts);
    }

    /**
     * One outcome of the batch recorded; once all are, the batch's claim is let go. A release that
     * fails (the database away) leaves the batch to its lease: its messages are not held for longer.
     */
    private void held(Claim claim) {
        heldClaims.add(claim);
    }

    /** Renews every batch this node holds and the channel slots of the loops running. */
    private void renewHeld() {
        try {
            for (Claim claim : heldClaims) {
                if (claim.open.get() > 0 && queries.hold(dsl, claim.name(), claim.lease())) {
                    claim.renewed(claim.lease());
                }
            }
            if (activeLoops.get() > 0) {
                for (String channel : CHANNELS) {
                    queries.renewSlots(dsl, channel, node, options.lease());
                }
            }
        } catch (RuntimeException e) {
            // the database away: the outage is told by the dispatching pass; renewing resumes with it
        }
    }

    private void finished(Claim claim) {
        if (claim.open.decrementAndGet() == 0) {
            heldClaims.remove(claim);
            try {
                queries.release(dsl, claim.name());
            } catch (RuntimeException e) {
                LOG.warn("batch {}: cannot let it go yet ({}); its lease will", claim.name(), e.getMessage());
            }
        }
    }

    /** The outcome, and the message's place in its batch given back once that outcome is recorded. */
    private void record(ClaimedMessage m, SendResult result, Instant now, Claim claim, DispatchCounts counts) {
        switch (result) {
            case SendResult.Sent sent -> {
                health.get(m.channel()).sent();
                recorder.add(new SentRecorder.Sent(m.id(), sent.providerId(), sent.segments(), now,
                        m.isInvite() ? m.token() : null, () -> {
                            counts.sent(m.channel());
                            finished(claim);
                        }));
                return;
            }
            case SendResult.Retry retry when retry.throttled() -> {
                Instant until = queries.throttle(dsl, m.channel(), retry.after());
                pausedUntil.get(m.channel()).pausedUntil(until);
                Duration pause = Duration.between(Instant.now(), until);
                pause = pause.isNegative() ? Duration.ZERO : pause;
                health.get(m.channel()).throttled(retry.error(), pause);
                queries.requeue(dsl, m, m.notBefore(), retry.error(), false, pause, now, claim.name());
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
                    queries.requeue(dsl, m, now.plus(wait), retry.error(), true, null, now, claim.name());
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
        finished(claim);
    }

    /** Exponential with "equal jitter": half the step fixed, half random, capped. */
    Duration backoff(int attempt) {
        long base = options.backoffBase().toMillis();
        long step = Math.min(options.backoffMax().toMillis(), base << Math.min(20, Math.max(0, attempt - 1)));
        return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
    }

    private static long toNanoTime(Instant wall) {
        return System.nanoTime() + Duration.between(Instant.now(), wall).toNanos();
    }

    /** True for a task that finished normally; a failed one throws its failure here. */
    private static boolean done(Future<?> f) {
        await(List.of(f));
        return true;
    }

    private static void await(List<Future<?>> futures) {
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

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        return Thread.ofPlatform().name(prefix + "-", 1).daemon(true).factory();
    }

    @Override
    public void close() {
        stopping = true;
        keeper.shutdownNow();
        channelLoops.shutdownNow();
        senders.values().forEach(ExecutorService::shutdownNow);
        recorder.close();
    }

    /**
     * Room for messages in flight: the claiming loop takes a whole batch's worth, each message
     * gives its place back when done. Unlike a Semaphore, a release wakes the waiting loop only
     * once there is room for what it waits for, not once per message.
     */
    static final class Room {
        private long available;
        private long wanted;

        Room(long places) {
            this.available = places;
        }

        synchronized void acquireUninterruptibly(long n) {
            boolean interrupted = false;
            while (available < n) {
                wanted = n;
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            wanted = 0;
            available -= n;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized void release(long n) {
            available += n;
            if (wanted > 0 && available >= wanted) {
                notifyAll();
            }
        }
    }

    /**
     * A batch this node holds: since when (renewed; its own monotonic clock) and how many of its
     * messages still wait for their outcome to be recorded.
     */
    private static final class Claim {
        private final String name;
        private volatile long heldSinceNanos;
        private volatile Duration lease;
        final java.util.concurrent.atomic.AtomicInteger open;

        Claim(String name, long claimedAtNanos, Duration lease, int messages) {
            this.name = name;
            this.heldSinceNanos = claimedAtNanos;
            this.lease = lease;
            this.open = new java.util.concurrent.atomic.AtomicInteger(messages);
        }

        String name() {
            return name;
        }

        Duration lease() {
            return lease;
        }

        boolean pastHalf() {
            return System.nanoTime() - heldSinceNanos > lease.toNanos() / 2;
        }

        void renewed(Duration renewedFor) {
            lease = renewedFor;
            heldSinceNanos = System.nanoTime();
        }
    }
}
