package io.surveycast.digest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;

/**
 * The UTC days a digest covers, as {@code report --from from --to last()}: the period's length up to
 * the day it is sent, that day excluded (a digest sent on Monday covers the week to Sunday).
 */
record DigestPeriod(LocalDate from, LocalDate endExclusive) {

    /** The period ending on the UTC day of {@code sentAt}. */
    static DigestPeriod endingAt(Instant sentAt, Period length) {
        LocalDate end = sentAt.atZone(ZoneOffset.UTC).toLocalDate();
        return new DigestPeriod(end.minus(length), end);
    }

    /** The last day, inclusive (report's {@code --to}). */
    LocalDate last() {
        return endExclusive.minusDays(1);
    }

    /** The period of the same length just before this one. */
    DigestPeriod previous(Period length) {
        return new DigestPeriod(from.minus(length), from);
    }
}
