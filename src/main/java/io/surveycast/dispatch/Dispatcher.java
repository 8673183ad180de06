package io.surveycast.dispatch;

import io.surveycast.campaign.FatiguePolicy;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jooq.DSLContext;

/**
 * Sends what is due from the outbox. Per channel, a {@link ChannelDrain} claims a batch (with a
 * lease so a dead node's claims are taken over) and reads it in the same statement, gives each
 * invitation without one its derived survey token, checks each message again (consent, state,
 * fatigue, send window), renders it, books sending slots at the channel's shared rate, hands it
 * to the channel on this node's share of the channel's concurrency slots, and leaves the outcome
 * (sent, retried with exponential backoff and jitter, or failed after the last attempt) to
 * {@link Outcomes}.
 */
public final class Dispatcher implements AutoCloseable {
    private static final List<String> CHANNELS = List.of("email", "sms");
    /** Accepted by the provider, not yet recorded: at most this many, which a crash could send twice. */
    static final int UNRECORDED_LIMIT = 64;
    private final DSLContext dsl;
    private final Clock clock;
    private final Planner planner;
    private final Node node;
    private final ExecutorService channelLoops = Executors.newFixedThreadPool(CHANNELS.size(), named("dispatch"));
    private final ScheduledExecutorService keeper = Executors.newSingleThreadScheduledExecutor(named("dispatch-lease"));
    private final DatabaseOutage outage = DatabaseOutage.process();
    private final AtomicInteger activeLoops = new AtomicInteger();

    public Dispatcher(DSLContext dsl, Clock clock, FatiguePolicy fatigue, TemplateStore templates, ChannelGateway gateway,
                      DispatchOptions options, String publicUrl, String company, String mailFrom) {
        this.dsl = dsl;
        this.clock = clock;
        this.planner = new Planner(fatigue);
        this.node = new Node(dsl, options, gateway, new MessageRenderer(templates, publicUrl, company, mailFrom),
                new SendChecks(fatigue));
        // while alive, this node renews its batches every quarter lease, so a provider call longer
        // than the lease is not taken over mid-call and sent a second time; a dead node stops
        // renewing, and its batches are taken over once the lease runs out
        long every = Math.max(100, options.lease().toMillis() / 4);
        keeper.scheduleWithFixedDelay(() -> quietly(node.batches()::renewAll), every, every, TimeUnit.MILLISECONDS);
        // and, much more often, its share of each channel's slots it is sending on: the heartbeat
        // by which the other nodes know it alive
        long beat = SlotShare.HEARTBEAT.toMillis();
        keeper.scheduleWithFixedDelay(() -> node.active.forEach(share -> quietly(share::heartbeat)), beat, beat,
                TimeUnit.MILLISECONDS);
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
        if (node.stopping || !node.queries().anyDue(dsl, now)) {
            return new DispatchCounts(); // the usual case for a server between waves: one indexed probe
        }
        Map<Long, PlanCampaign> campaigns = planner.campaigns(dsl).stream()
                .collect(Collectors.toMap(PlanCampaign::id, Function.identity()));
        DispatchCounts counts = new DispatchCounts();
        List<Future<?>> loops = new ArrayList<>();
        try {
            for (String channel : CHANNELS) {
                loops.add(channelLoops.submit(() -> drainChannel(new ChannelDrain(node, channel, now, pass, campaigns, counts))));
            }
        } catch (RejectedExecutionException closing) {
            // stopping: the loops already started finish below
        }
        ChannelDrain.await(loops);
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
            if (node.stopping || !node.queries().anyDue(dsl, now)) {
                return total;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // held by another node: wait for it or its lease
        }
    }

    private void drainChannel(ChannelDrain drain) {
        activeLoops.incrementAndGet();
        try {
            drain.run();
        } finally {
            synchronized (activeLoops) {
                activeLoops.decrementAndGet();
                activeLoops.notifyAll();
            }
        }
    }

    /**
     * The first step of stopping the process: no batch is claimed from now on, messages claimed but
     * not yet handed to a channel are let go, and those on the wire finish and are recorded; waits
     * up to {@code patience} for that. What is still running after it is left to its lease.
     * Returns whether everything finished in time.
     */
    public boolean stopTaking(Duration patience) {
        node.stopping = true;
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

    private static void quietly(Runnable renewal) {
        try {
            renewal.run();
        } catch (RuntimeException e) {
            // the database away: the outage is told by the dispatching pass; renewing resumes with it
        }
    }

    private static ThreadFactory named(String prefix) {
        return Thread.ofPlatform().name(prefix + "-", 1).daemon(true).factory();
    }

    @Override
    public void close() {
        node.stopping = true;
        keeper.shutdownNow();
        channelLoops.shutdownNow();
        node.senders.values().forEach(ExecutorService::shutdownNow);
        node.recorder().close();
    }

    /**
     * What every channel drain of this node shares: its name, the database, the options, the
     * senders of each channel, the batches it holds, the outcome bookkeeping, the channels'
     * throttling pauses, call times and slot shares, and whether the process is stopping.
     */
    static final class Node {
        private final String name = ManagementFactory.getRuntimeMXBean().getName() + "/"
                + UUID.randomUUID().toString().substring(0, 8);
        private final DSLContext dsl;
        private final DispatchOptions options;
        private final OutboxQueries queries = new OutboxQueries();
        private final ChannelGateway gateway;
        private final MessageRenderer renderer;
        private final SendChecks checks;
        private final SurveyTokens tokens;
        private final SentRecorder recorder;
        private final HeldBatches batches;
        private final Outcomes outcomes;
        private final Map<String, ExecutorService> senders;
        private final Map<String, ChannelPause> pauses;
        private final Map<String, CallTimes> callTimes;
        private final AtomicLong claims = new AtomicLong();
        private final Set<String> slotsCreated = ConcurrentHashMap.newKeySet();
        /** The slot shares of the channels this node is sending on: their heartbeats keep it alive there. */
        final Set<SlotShare> active = ConcurrentHashMap.newKeySet();
        /** Set once the process is stopping: no batch is claimed, and a message not yet handed over is let go. */
        volatile boolean stopping;

        Node(DSLContext dsl, DispatchOptions options, ChannelGateway gateway, MessageRenderer renderer, SendChecks checks) {
            this.dsl = dsl;
            this.options = options;
            this.gateway = gateway;
            this.renderer = renderer;
            this.checks = checks;
            this.tokens = new SurveyTokens(() -> AppSecrets.named(dsl, "survey-token"));
            this.recorder = new SentRecorder(dsl, queries, UNRECORDED_LIMIT);
            this.batches = new HeldBatches(dsl, queries);
            this.pauses = CHANNELS.stream().collect(Collectors.toMap(Function.identity(),
                    c -> new ChannelPause(() -> queries.throttledUntil(dsl, c))));
            Map<String, ChannelHealth> health = CHANNELS.stream()
                    .collect(Collectors.toMap(Function.identity(), ChannelHealth::new));
            this.outcomes = new Outcomes(dsl, queries, options, recorder, batches, pauses, health,
                    bound -> ThreadLocalRandom.current().nextLong(bound + 1));
            this.callTimes = CHANNELS.stream().collect(Collectors.toMap(Function.identity(), c -> new CallTimes()));
            this.senders = CHANNELS.stream().collect(Collectors.toMap(Function.identity(),
                    c -> Executors.newFixedThreadPool(options.nodeConcurrency(c), named("send-" + c))));
        }

        DSLContext dsl() {
            return dsl;
        }

        DispatchOptions options() {
            return options;
        }

        OutboxQueries queries() {
            return queries;
        }

        ChannelGateway gateway() {
            return gateway;
        }

        MessageRenderer renderer() {
            return renderer;
        }

        SendChecks checks() {
            return checks;
        }

        SurveyTokens tokens() {
            return tokens;
        }

        SentRecorder recorder() {
            return recorder;
        }

        HeldBatches batches() {
            return batches;
        }

        Outcomes outcomes() {
            return outcomes;
        }

        ExecutorService senders(String channel) {
            return senders.get(channel);
        }

        ChannelPause pause(String channel) {
            return pauses.get(channel);
        }

        CallTimes callTimes(String channel) {
            return callTimes.get(channel);
        }

        boolean stopping() {
            return stopping;
        }

        /** Each claim has its own name: this node's, and a number. */
        String nextClaimName() {
            return name + "#" + claims.incrementAndGet();
        }

        /**
         * A batch with less than this left of its lease is confirmed (renewed, or found taken over)
         * before its next message goes out: half the lease, or a provider call and its margin.
         */
        Duration confirmBelow(Duration lease) {
            Duration call = options.callTimeout().plus(DispatchOptions.LEASE_MARGIN);
            return call.compareTo(lease.dividedBy(2)) > 0 ? call : lease.dividedBy(2);
        }

        /** A share of the channel's slots for one drain of it. */
        SlotShare slotShare(String channel) {
            int total = options.concurrency(channel);
            int cap = options.nodeConcurrency(channel);
            return new SlotShare(channel,
                    () -> queries.shareSlots(dsl, channel, total, cap, name, SlotShare.LEASE),
                    n -> queries.giveBack(dsl, channel, name, n));
        }

        /** The drain starts: this node joins the channel's nodes and takes its share of the slots. */
        void joined(SlotShare share) {
            String channel = share.channel();
            if (slotsCreated.add(channel)) {
                queries.createSlots(dsl, channel, options.concurrency(channel));
            }
            share.heartbeat();
            active.add(share);
        }

        /** The drain ended: this node leaves the channel, its slots free for the others at once. */
        void left(SlotShare share) {
            active.remove(share);
            share.close();
            queries.leave(dsl, share.channel(), name);
        }
    }
}
