package io.surveycast.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The reading shared by the outbox gauges, when the database answers at once. */
class CachedReadingTest {
    @Test
    void aReadThatEndsBeforeItsCallbackIsRegisteredIsStillReturned() {
        AtomicInteger reads = new AtomicInteger();
        // the executor runs the read in the caller's thread: it has ended before get() registers
        // the callback that stores it (a race a fast database lost under a busy CI: a NullPointerException
        // in the gauge, and NaN on /metrics)
        CachedReading<Integer> reading = new CachedReading<>(reads::incrementAndGet, -1, Duration.ZERO,
                Duration.ofSeconds(1), System::nanoTime, Runnable::run);
        assertThat(reading.get()).isEqualTo(1);
        assertThat(reading.get()).isEqualTo(2);
    }
}
