package io.surveycast.dispatch;

import io.surveycast.config.InvalidInputException;
import io.surveycast.config.Settings;
import java.time.Duration;

/**
 * How fast and how hard the dispatcher sends: per-channel rate (messages per second, 0 = no
 * limit; {@code SURVEYCAST_EMAIL_RATE}, {@code SURVEYCAST_SMS_RATE}) and concurrency, the retry
 * ladder, and how long a claim holds before another node may take the message over.
 */
public record DispatchOptions(double emailRate, double smsRate, int emailConcurrency, int smsConcurrency,
                              int maxAttempts, Duration backoffBase, Duration backoffMax, Duration lease) {

    public static DispatchOptions fromSettings(Settings settings) {
        return new DispatchOptions(
                rate(settings, "surveycast.email.rate", 100),
                rate(settings, "surveycast.sms.rate", 10),
                positive(settings, "surveycast.email.concurrency", 4),
                positive(settings, "surveycast.sms.concurrency", 10),
                positive(settings, "surveycast.dispatch.max-attempts", 8),
                duration(settings, "surveycast.dispatch.backoff", "PT30S"),
                duration(settings, "surveycast.dispatch.backoff-max", "PT1H"),
                duration(settings, "surveycast.dispatch.lease", "PT2M"));
    }

    double rate(String channel) {
        return channel.equals("email") ? emailRate : smsRate;
    }

    int concurrency(String channel) {
        return channel.equals("email") ? emailConcurrency : smsConcurrency;
    }

    /** Messages claimed at once: about a second of sending (at most 500), at least two per sender. */
    int batch(String channel) {
        double rate = rate(channel);
        int perSecond = rate <= 0 ? 500 : (int) Math.ceil(rate);
        return Math.max(2 * concurrency(channel), Math.min(500, perSecond));
    }

    private static double rate(Settings settings, String key, double fallback) {
        String value = settings.get(key).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            double rate = Double.parseDouble(value);
            if (rate < 0 || Double.isNaN(rate)) {
                throw new NumberFormatException();
            }
            return rate;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(Settings.envName(key) + ": not a rate in messages per second: " + value);
        }
    }

    private static int positive(Settings settings, String key, int fallback) {
        int value = settings.getInt(key, fallback);
        if (value < 1) {
            throw new InvalidInputException(Settings.envName(key) + ": must be at least 1");
        }
        return value;
    }

    private static Duration duration(Settings settings, String key, String fallback) {
        String value = settings.get(key, fallback);
        try {
            return Duration.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException(Settings.envName(key) + ": not an ISO-8601 duration: " + value);
        }
    }
}
