package io.surveycast.cli;

import io.surveycast.config.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** Command-line instants and durations: 2026-04-07T10:00:00Z, 2026-04-07T12:00+02:00, 2026-04-07 (UTC midnight). */
final class Instants {
    private Instants() {
    }

    /** {@code --from} and {@code --to}: the instants of an export, the first inclusive, the second exclusive. */
    static final class Range {
        @Option(names = "--from", paramLabel = "T", converter = InstantConverter.class, description = "from this instant (inclusive)")
        Instant from;

        @Option(names = "--to", paramLabel = "T", converter = InstantConverter.class, description = "up to this instant (exclusive)")
        Instant to;

        /** Stops with {@code --to: T is not after --from F} on an empty range. */
        void check() {
            if (from != null && to != null && !to.isAfter(from)) {
                throw new InvalidInputException("--to: " + to + " is not after --from " + from);
            }
        }
    }

    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                if (value.length() == 10) {
                    return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                    return OffsetDateTime.parse(value).toInstant();
                }
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new picocli.CommandLine.TypeConversionException("not an ISO-8601 instant (e.g. 2026-04-07T10:00:00Z): " + value);
            }
        }
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Duration.parse(value.toUpperCase(java.util.Locale.ROOT).startsWith("P") ? value : "PT" + value);
            } catch (DateTimeParseException e) {
                throw new picocli.CommandLine.TypeConversionException("not an ISO-8601 duration (e.g. PT6H, P1D): " + value);
            }
        }
    }
}
