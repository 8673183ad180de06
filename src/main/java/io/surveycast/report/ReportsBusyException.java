package io.surveycast.report;

/** All report slots are taken: the caller answers "try again in a moment" instead of queueing. */
final class ReportsBusyException extends RuntimeException {
    private final int limit;

    ReportsBusyException(int limit) {
        super(limit + " reports are already running; try again in a moment");
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
