package io.surveycast.plan;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * A database session that holds the cluster-wide planning lock across several transactions, so
 * a due-scan can commit its work piece by piece (each batch of a large wave in its own
 * transaction) while no other planner runs. Batches are independent of each other, so
 * {@link #inTransactions} runs them on this session's connection and, at the same time, on up
 * to {@code parallelism - 1} more connections of the pool.
 */
public final class PlanSession implements AutoCloseable {
    private final ConnectionProvider pool;
    private final DSLContext poolDsl;
    private final Connection connection;
    private final DSLContext dsl;
    private final PlannerQueries queries;

    private PlanSession(DSLContext poolDsl, PlannerQueries queries) {
        this.poolDsl = poolDsl;
        this.pool = poolDsl.configuration().connectionProvider();
        this.queries = queries;
        this.connection = pool.acquire();
        this.dsl = on(connection);
        try {
            queries.lockSession(dsl);
        } catch (RuntimeException e) {
            pool.release(connection);
            throw e;
        }
    }

    /** Waits for the planning lock, on a connection of the pool; {@link #close()} gives both back. */
    static PlanSession open(DSLContext poolDsl, PlannerQueries queries) {
        return new PlanSession(poolDsl, queries);
    }

    /** The session's connection (outside any transaction unless the caller starts one). */
    public DSLContext dsl() {
        return dsl;
    }

    /** Runs {@code work} in a transaction of this session, committed when it returns. */
    public <T> T transaction(Function<DSLContext, T> work) {
        return dsl.transactionResult(configuration -> work.apply(configuration.dsl()));
    }

    /**
     * Runs every task in its own committed transaction, on this session's connection and on up to
     * {@code parallelism - 1} others at once; returns the results in the order of the tasks. When
     * one fails, the tasks not yet started are not run, those committed stay, and the failure is
     * thrown once the running ones have finished.
     */
    <T> List<T> inTransactions(List<Function<DSLContext, T>> tasks, int parallelism) {
        List<T> results = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            results.add(null);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        java.util.function.Consumer<DSLContext> worker = on -> {
            for (int i = next.getAndIncrement(); i < tasks.size() && failure.get() == null; i = next.getAndIncrement()) {
                Function<DSLContext, T> task = tasks.get(i);
                try {
                    results.set(i, on.transactionResult(configuration -> task.apply(configuration.dsl())));
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        int extra = Math.min(parallelism, tasks.size()) - 1;
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < extra; t++) {
            threads.add(Thread.ofPlatform().name("planner-" + (t + 2)).start(() -> {
                Connection c;
                try {
                    c = pool.acquire();
                } catch (RuntimeException e) {
                    return; // no connection to spare: the others do the work
                }
                try {
                    worker.accept(on(c));
                } finally {
                    pool.release(c);
                }
            }));
        }
        worker.accept(dsl);
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, new IllegalStateException("interrupted while planning", e));
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return results;
    }

    private DSLContext on(Connection c) {
        return DSL.using(c, poolDsl.dialect(), poolDsl.settings());
    }

    /** Gives the lock and the connection back. */
    @Override
    public void close() {
        try {
            queries.unlockSession(dsl);
        } finally {
            pool.release(connection);
        }
    }
}
