package io.surveycast.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that starts at a given instant, ticks with real time, and that a test can move forward
 * by hand: for a running server whose "now" must pass a day in a second.
 */
public final class MutableClock extends Clock {
    private final long startNanos = System.nanoTime();
    private volatile Instant base;

    public MutableClock(Instant start) {
        this.base = start;
    }

    public void advance(Duration by) {
        base = base.plus(by);
    }

    public void set(Instant instant) {
        base = instant.minusNanos(System.nanoTime() - startNanos);
    }

    @Override
    public Instant instant() {
        return base.plusNanos(System.nanoTime() - startNanos);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
