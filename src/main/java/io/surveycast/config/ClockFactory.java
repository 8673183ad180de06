package io.surveycast.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The one clock of the process, from {@code SURVEYCAST_CLOCK}: unset, {@code fixed:<instant>} or {@code offset:<duration>}. */
public final class ClockFactory {
    private ClockFactory() {
    }

    public static Clock fromSettings(Settings settings) {
        return parse(settings.get("surveycast.clock").orElse(null));
    }

    static Clock parse(String spec) {
        if (spec == null || spec.isBlank() || spec.equals("system")) {
            return Clock.systemUTC();
        }
        try {
            if (spec.startsWith("fixed:")) {
                return Clock.fixed(Instant.parse(spec.substring(6)), ZoneOffset.UTC);
            }
            if (spec.startsWith("offset:")) {
                return Clock.offset(Clock.systemUTC(), Duration.parse(spec.substring(7)));
            }
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("SURVEYCAST_CLOCK: " + e.getParsedString() + " is not a valid "
                    + (spec.startsWith("fixed:") ? "instant (e.g. 2026-01-01T09:00:00Z)" : "duration (e.g. P30D)"));
        }
        throw new InvalidInputException("SURVEYCAST_CLOCK: expected fixed:<instant> or offset:<duration>, got " + spec);
    }
}
