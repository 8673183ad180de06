package io.surveycast.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records sent messages in groups: senders hand over what the provider accepted and go on with
 * the next message, while one thread writes what has accumulated in one statement, once the group
 * has filled or a few milliseconds have passed. At most {@code limit} accepted messages wait to be written;
 * a sender waits for room beyond that. Those, with the messages on the wire, are what a crash can
 * send twice (their claims expire and another pass sends them again), never lose.
 */
final class SentRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SentRecorder.class);
    private static final int GROUP = 500;
    /**
     * How long the writer waits for a group to fill before writing it: a statement and its commit
     * cost about as much as twenty rows, so groups of one or two (what an eager writer gets when
     * sending is fast) cost twice the database time of full ones.
     */
    private static final long LINGER_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5);
    private static final long LINGER_STEP_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1);
    private final int lingerGroup;
    private final DSLContext dsl;
    private final OutboxQueries queries;
    private final LinkedBlockingQueue<Sent> queue = new LinkedBlockingQueue<>();
    private final Semaphore room;
    private final Object progress = new Object();
    private long added;
    private long recorded;
    private volatile boolean closed;
    private final Thread writer;

    /** A message the provider accepted; {@code then} runs once it is recorded. */
    record Sent(long messageId, String providerId, Integer segments, Instant at, String token, Runnable then) { }

    SentRecorder(DSLContext dsl, OutboxQueries queries, int limit) {
        this.dsl = dsl;
        this.queries = queries;
        this.room = new Semaphore(limit);
        this.lingerGroup = Math.max(1, limit / 2); // the other half fills while a group is written
        this.writer = Thread.ofPlatform().name("record-sent").daemon(true).start(this::writeLoop);
    }

    void add(Sent sent) {
        room.acquireUninterruptibly();
        synchronized (progress) {
            added++;
        }
        queue.add(sent);
    }

    /** Returns once everything added before this call is recorded. */
    void awaitRecorded() {
        synchronized (progress) {
            long target = added;
            while (recorded < target) {
                try {
                    progress.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while recording sent messages", e);
                }
                if (!writer.isAlive()) {
                    throw new IllegalStateException("the recorder of sent messages has stopped");
                }
            }
        }
    }

    private void writeLoop() {
        List<Sent> group = new ArrayList<>(GROUP);
        while (!closed || !queue.isEmpty()) {
            try {
                Sent first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, GROUP - 1);
                // sleep rather than wait on the queue: a waiting writer would be woken by every message
                long lingerUntil = System.nanoTime() + LINGER_NANOS;
                long left;
                while (group.size() < lingerGroup && !closed && (left = lingerUntil - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(Math.min(left, LINGER_STEP_NANOS));
                    queue.drainTo(group, GROUP - group.size());
                }
            } catch (InterruptedException e) {
                if (queue.isEmpty()) {
                    return;
                }
                queue.drainTo(group, GROUP); // closing: write what is left first
            }
            writeUntilDone(group);
            room.release(group.size());
            for (Sent s : group) {
                try {
                    s.then().run();
                } catch (RuntimeException e) { // recorded all the same: the writer goes on
                    LOG.warn("after recording message {}: {}", s.messageId(), e.toString());
                }
            }
            synchronized (progress) {
                recorded += group.size();
                progress.notifyAll();
            }
            group.clear();
        }
    }

    /** A database that is away is waited for: what was sent must be recorded, or it would be sent again. */
    private void writeUntilDone(List<Sent> group) {
        Duration wait = Duration.ofMillis(100);
        while (true) {
            try {
                write(group);
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    throw e;
                }
                LOG.warn("cannot record {} sent messages yet, trying again in {} ms: {}", group.size(), wait.toMillis(),
                        e.getMessage());
                LockSupport.parkNanos(wait.toNanos());
                wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : wait.multipliedBy(2);
            }
        }
    }

    private void write(List<Sent> group) {
        int n = group.size();
        Long[] ids = new Long[n];
        String[] providerIds = new String[n];
        Integer[] segments = new Integer[n];
        Instant[] at = new Instant[n];
        String[] tokens = new String[n];
        for (int i = 0; i < n; i++) {
            Sent s = group.get(i);
            ids[i] = s.messageId();
            providerIds[i] = s.providerId();
            segments[i] = s.segments();
            at[i] = s.at();
            tokens[i] = s.token();
        }
        queries.markSent(dsl, ids, providerIds, segments, at, tokens);
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
