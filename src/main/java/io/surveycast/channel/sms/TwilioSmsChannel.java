package io.surveycast.channel.sms;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import io.surveycast.channel.Channel;
import io.surveycast.channel.OutboundMessage;
import io.surveycast.channel.SendResult;
import java.net.URI;
import java.time.Duration;

/**
 * SMS through Twilio's Messages API with the Twilio SDK. 429 and 5xx answers and connection
 * failures are temporary; error 21610 (the recipient replied STOP) suppresses SMS for the
 * contact; invalid or unreachable numbers fail the message for good.
 */
public final class TwilioSmsChannel implements Channel {
    static final int UNSUBSCRIBED_RECIPIENT = 21610;
    private final TwilioSettings settings;
    private final TwilioRestClient client;

    public TwilioSmsChannel(TwilioSettings settings) {
        this.settings = settings;
        this.client = new TwilioRestClient.Builder(settings.accountSid(), settings.authToken())
                .httpClient(new TwilioHttpClient(settings.apiUrl(), settings.timeout()))
                .build();
    }

    @Override
    public SendResult send(OutboundMessage message) {
        PhoneNumber to = new PhoneNumber(message.to());
        MessageCreator creator = settings.from() != null
                ? Message.creator(to, new PhoneNumber(settings.from()), message.text())
                : Message.creator(to, settings.messagingServiceSid(), message.text());
        creator.setStatusCallback(URI.create(settings.statusCallback()));
        if (message.attempt() > 1) {
            // an earlier attempt may have been taken in (a 500 or a timeout after Twilio accepted it,
            // or a node that died mid-call): look before sending again
            try {
                Message earlier = sentEarlier(message);
                if (earlier != null) {
                    return new SendResult.Sent(earlier.getSid(), SmsSegments.count(message.text()));
                }
            } catch (ApiException | ApiConnectionException e) {
                return new SendResult.Retry("Twilio: cannot check whether an earlier attempt went out: " + e.getMessage());
            }
        }
        try {
            Message sent = creator.create(client);
            return new SendResult.Sent(sent.getSid(), SmsSegments.count(message.text()));
        } catch (ApiException e) {
            return classify(e, retryAfter(TwilioHttpClient.RETRY_AFTER.get()));
        } catch (ApiConnectionException e) {
            return new SendResult.Retry("Twilio unreachable: " + e.getMessage());
        }
    }

    /**
     * The message an earlier attempt sent, if Twilio has it: the Messages list filtered by the
     * recipient and the send date (from a day before this attempt; Twilio filters by day), matched
     * by the text, which carries the invitation's own survey link.
     */
    private Message sentEarlier(OutboundMessage message) {
        var candidates = Message.reader().setTo(new PhoneNumber(message.to()))
                .setDateSentAfter(message.date().atZone(java.time.ZoneOffset.UTC).minusDays(1))
                .setPageSize(50L).limit(LOOKUP_LIMIT).read(client);
        for (Message m : candidates) {
            if (message.text().equals(m.getBody())) {
                return m;
            }
        }
        return null;
    }

    /** Messages to one recipient looked at at most; a survey recipient gets a handful a week. */
    private static final long LOOKUP_LIMIT = 200;

    static SendResult classify(ApiException e) {
        return classify(e, null);
    }

    /** Retry-After as seconds or an HTTP date (RFC 9110 10.2.3); null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                var at = java.time.ZonedDateTime.parse(header.strip(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(java.time.Instant.now(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (java.time.format.DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    static SendResult classify(ApiException e, Duration retryAfter) {
        Integer status = e.getStatusCode();
        Integer code = e.getCode();
        String text = "Twilio " + (status == null ? "" : status + " ") + (code == null ? "" : "error " + code + ": ")
                + e.getMessage();
        if (status != null && status == 429) {
            return new SendResult.Retry(text, retryAfter, true);
        }
        if (status == null || status >= 500) {
            return new SendResult.Retry(text);
        }
        if (code != null && code == UNSUBSCRIBED_RECIPIENT) {
            return new SendResult.Failed(text, "stop");
        }
        return new SendResult.Failed(text); // invalid or unreachable numbers (21211, 21614, ...) and other 4xx
    }
}
