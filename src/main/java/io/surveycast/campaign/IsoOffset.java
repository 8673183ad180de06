package io.surveycast.campaign;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;

/**
 * An ISO-8601 amount of time as campaigns write it: a period of dates ({@code P14D}, {@code -P1M})
 * or a duration with a time part ({@code PT2H}, {@code P1DT12H}).
 *
 * @param text as written (and stored: a stored definition hashes as it did when it was applied)
 */
public record IsoOffset(Period period, Duration duration, @JsonValue String text) {

    /** @throws IllegalArgumentException when the text is neither */
    public static IsoOffset parse(String text) {
        try {
            return new IsoOffset(Period.parse(text), Duration.ZERO, text);
        } catch (DateTimeParseException notAPeriod) {
            try {
                return new IsoOffset(Period.ZERO, Duration.parse(text), text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration (e.g. P14D, -P30D, PT2H): " + text);
            }
        }
    }

    public boolean isNegative() {
        return period.isNegative() || duration.isNegative();
    }

    public boolean isZero() {
        return period.isZero() && duration.isZero();
    }

    /** An approximate length, for comparing offsets (a month counts as 30 days). */
    public Duration approximate() {
        return Duration.ofDays(period.toTotalMonths() * 30 + period.getDays()).plus(duration);
    }

    /** The same amount as a PostgreSQL interval literal; months and days stay calendar units. */
    public String toPgInterval() {
        return period.getYears() + " years " + period.getMonths() + " months " + period.getDays() + " days "
                + duration.toSeconds() + " seconds";
    }

    @Override
    public String toString() {
        return text;
    }
}
