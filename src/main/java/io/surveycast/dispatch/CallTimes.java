package io.surveycast.dispatch;

/**
 * How long this node's calls to one channel take, as a moving average (each call weighs a
 * tenth), so that a node claims about what its slots send in a second.
 */
final class CallTimes {
    private static final double WEIGHT = 0.1;
    private double meanNanos; // 0: no call yet

    synchronized void took(long nanos) {
        meanNanos = meanNanos == 0 ? nanos : meanNanos + WEIGHT * (nanos - meanNanos);
    }

    /** What {@code slots} send in a second at the mean call time; 0 before the first call. */
    synchronized long perSecond(int slots) {
        return meanNanos == 0 ? 0 : (long) (slots * 1e9 / Math.max(1, meanNanos));
    }
}
