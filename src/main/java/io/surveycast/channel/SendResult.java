package io.surveycast.channel;

import java.time.Duration;

/** What a channel did with a message: accepted, worth retrying later, or failed for good. */
public sealed interface SendResult {

    /** Accepted by the provider. {@code segments}: SMS segments, null for email. */
    record Sent(String providerId, Integer segments) implements SendResult {
    }

    /**
     * A temporary failure (4xx, connection, throttling): try again later. {@code after}: the
     * provider's own hint, or null for the dispatcher's backoff; {@code throttled}: the provider
     * asked us to slow down, so the whole channel waits.
     */
    record Retry(String error, Duration after, boolean throttled) implements SendResult {
        public Retry(String error) {
            this(error, null, false);
        }
    }

    /**
     * A permanent failure of this message. {@code suppress}: a suppression reason
     * ({@code hard_bounce}, {@code stop}) when the recipient cannot be reached on the channel again.
     */
    record Failed(String error, String suppress) implements SendResult {
        public Failed(String error) {
            this(error, null);
        }
    }
}
