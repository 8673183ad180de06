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
                pending = CompletableFuture.supplyAsync(this::readOrUnavailable, executor);
                pending.thenAccept(this::store);
            }
            waitFor = pending;
        }
        try {
            return waitFor.get(patienceNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            synchronized (this) {
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
            return read.get();
        } catch (RuntimeException e) {
            return unavailable;
        }
    }

    private synchronized void store(T reading) {
        last = reading;
        readAt = ticker.getAsLong();
        hasReading = true;
        pending = null;
    }
}
