package io.surveycast.metrics;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A reading of the database that scrapes share: read again only once it is {@code maxAge} old, by
 * one thread at a time, and off the scrape's thread. A scrape waits at most {@code patience} for a
 * fresh reading and otherwise gets the last one, so a database that is away (the pool waits for a
 * connection) or slow never fails or stalls the scrape; a failed read gives {@code unavailable} and
 * counts as a reading, so a database that is away is asked once per {@code maxAge} too.
 *
 * <p>Ages are measured on a monotonic ticker (nanoseconds), not on the process clock: the process
 * clock may be fixed ({@code SURVEYCAST_CLOCK=fixed:...}) and must not freeze the figures.
 */
final class CachedReading<T> {
    private final Supplier<T> read;
    private final T unavailable;
    private final long maxAgeNanos;
    private final long patienceNanos;
    private final LongSupplier ticker;
    private final Executor executor;
    private T last;
    private long readAt;
    private boolean hasReading;
    private CompletableFuture<T> pending;
    private volatile boolean failing;
    /** The reading a caller stopped waiting for: later callers do not wait for it again. */
    private CompletableFuture<T> givenUp;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CachedReading.class);

    CachedReading(Supplier<T> read, T unavailable, Duration maxAge, Duration patience, LongSupplier ticker,
                  Executor executor) {
        this.read = read;
        this.unavailable = unavailable;
        this.maxAgeNanos = maxAge.toNanos();
        this.patienceNanos = patience.toNanos();
        this.ticker = ticker;
        this.executor = executor;
    }

    T get() {
        CompletableFuture<T> waitFor;
        synchronized (this) {
            if (hasReading && ticker.getAsLong() - readAt < maxAgeNanos) {
                return last;
            }
            if (pending == null) {
                // a read that ends before thenAccept is called stores itself (pending = null) right here:
                // wait for the future started, not for whatever pending holds by then
                CompletableFuture<T> started = CompletableFuture.supplyAsync(this::readOrUnavailable, executor);
                pending = started;
                started.thenAccept(this::store);
                waitFor = started;
            } else if (pending == givenUp) {
                return hasReading ? last : unavailable; // one scrape's gauges wait once, not each in turn
            } else {
                waitFor = pending;
            }
        }
        try {
            return waitFor.get(patienceNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            synchronized (this) {
                givenUp = waitFor;
                return hasReading ? last : unavailable;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable;
        } catch (java.util.concurrent.ExecutionException e) {
            return unavailable; // readOrUnavailable does not throw; kept for the compiler
        }
    }

    private T readOrUnavailable() {
        try {
            T reading = read.get();
            failing = false;
            return reading;
        } catch (RuntimeException e) {
            if (!failing) { // one line per failing streak, not one per scrape
                failing = true;
                LOG.warn("metrics: cannot read the outbox figures ({}); they show NaN until the database answers",
                        firstLine(e));
            }
            return unavailable;
        }
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private synchronized void store(T reading) {
        last = reading;
        readAt = ticker.getAsLong();
        hasReading = true;
        pending = null;
    }
}
