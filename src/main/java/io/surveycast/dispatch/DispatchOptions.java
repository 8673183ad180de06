package io.surveycast.dispatch;

import io.surveycast.channel.email.SmtpSettings;
import io.surveycast.channel.sms.TwilioSettings;
import io.surveycast.config.InvalidInputException;
import io.surveycast.config.Settings;
import java.time.Duration;

/**
 * How fast and how hard the dispatcher sends: per-channel rate (messages per second, 0 = no
 * limit; {@code SURVEYCAST_EMAIL_RATE}, {@code SURVEYCAST_SMS_RATE}), concurrency across every
 * node and on this node, the retry ladder, how long a claim holds before another node may take
 * the message over, and the longest a call to a configured provider may take (its client
 * timeout), which the lease must exceed by {@link #LEASE_MARGIN}.
 */
record DispatchOptions(double emailRate, double smsRate, int emailConcurrency, int smsConcurrency,
                              int emailNodeConcurrency, int smsNodeConcurrency,
                              int maxAttempts, Duration backoffBase, Duration backoffMax, Duration lease,
                              Duration callTimeout) {
    /** What a lease must leave beyond the longest provider call: the call's start and its outcome's record. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(1);

    public DispatchOptions {
        Duration longest = callTimeout.plus(LEASE_MARGIN);
        if (lease.compareTo(longest) < 0) {
            // a batch whose node cannot renew it (the database away) would be taken over while a
            // call is still on the wire, and the message sent twice
            throw new InvalidInputException("SURVEYCAST_DISPATCH_LEASE: " + lease + " is shorter than the longest "
                    + "provider call it must outlast (SURVEYCAST_SMTP_TIMEOUT / SURVEYCAST_TWILIO_TIMEOUT, "
                    + callTimeout + ") plus " + LEASE_MARGIN.toSeconds() + " s: set the lease to at least "
                    + longest + " or shorten the timeout");
        }
    }

    public static DispatchOptions fromSettings(Settings settings) {
        int emailConcurrency = positive(settings, "surveycast.email.concurrency", 4);
        int smsConcurrency = positive(settings, "surveycast.sms.concurrency", 10);
        return new DispatchOptions(
                rate(settings, "surveycast.email.rate", 100),
                rate(settings, "surveycast.sms.rate", 10),
                emailConcurrency,
                smsConcurrency,
                positive(settings, "surveycast.email.node-concurrency", emailConcurrency),
                positive(settings, "surveycast.sms.node-concurrency", smsConcurrency),
                positive(settings, "surveycast.dispatch.max-attempts", 8),
                duration(settings, "surveycast.dispatch.backoff", "PT30S"),
                duration(settings, "surveycast.dispatch.backoff-max", "PT1H"),
                duration(settings, "surveycast.dispatch.lease", "PT2M"),
                callTimeout(settings));
    }

    /** The longer client timeout of the providers configured (SMTP host, Twilio account); zero with none. */
    private static Duration callTimeout(Settings settings) {
        Duration longest = Duration.ZERO;
        if (settings.get("surveycast.smtp.host").isPresent()) { // as SmtpSettings.fromSettings decides
            longest = SmtpSettings.timeout(settings);
        }
        if (settings.get("twilio.account-sid").isPresent() && TwilioSettings.timeout(settings).compareTo(longest) > 0) {
            longest = TwilioSettings.timeout(settings);
        }
        return longest;
    }

    /** Concurrent sends of the channel on this node: at most its share of the channel's. */
    int nodeConcurrency(String channel) {
        return Math.min(concurrency(channel), channel.equals("email") ? emailNodeConcurrency : smsNodeConcurrency);
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
