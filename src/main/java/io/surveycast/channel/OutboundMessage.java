package io.surveycast.channel;

import java.time.Instant;
import java.util.Map;

/**
 * A rendered message, ready for a channel: for email {@code to} is the address and both
 * {@code text} and {@code html} are set; for SMS {@code to} is the E.164 number and only
 * {@code text} is. {@code headers} are extra email headers (List-Unsubscribe, ...). {@code attempt}:
 * 1 for the first, more when an earlier attempt may have reached the provider.
 */
public record OutboundMessage(
        long id,
        String channel,
        String to,
        String toName,
        String subject,
        String text,
        String html,
        Map<String, String> headers,
        String messageIdHeader,
        Instant date,
        int attempt) {

    /** A first attempt. */
    public OutboundMessage(long id, String channel, String to, String toName, String subject, String text, String html,
                           Map<String, String> headers, String messageIdHeader, Instant date) {
        this(id, channel, to, toName, subject, text, html, headers, messageIdHeader, date, 1);
    }
}
