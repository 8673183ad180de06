package io.surveycast.channel.sms;

import io.surveycast.config.InvalidInputException;
import io.surveycast.config.Settings;
import java.net.URI;

/** The Twilio account and sender: {@code TWILIO_*}, {@code SURVEYCAST_SMS_FROM}, {@code SURVEYCAST_TWILIO_API_URL}. */
public record TwilioSettings(String accountSid, String authToken, String from, String messagingServiceSid,
                             URI apiUrl, String statusCallback, java.time.Duration timeout) {

    /** The configured account, or null when there is none (development mode: the SMS sandbox). */
    public static TwilioSettings fromSettings(Settings settings) {
        String sid = settings.get("twilio.account-sid").orElse(null);
        if (sid == null) {
            return null;
        }
        String token = settings.get("twilio.auth-token")
                .orElseThrow(() -> new InvalidInputException("TWILIO_AUTH_TOKEN: required with TWILIO_ACCOUNT_SID"));
        String from = settings.get("surveycast.sms.from").orElse(null);
        String service = settings.get("twilio.messaging-service-sid").orElse(null);
        if (from == null && service == null) {
            throw new InvalidInputException("SURVEYCAST_SMS_FROM: set it or TWILIO_MESSAGING_SERVICE_SID to send SMS");
        }
        String api = settings.get("surveycast.twilio.api-url", "https://api.twilio.com");
        String publicUrl = settings.publicUrl().replaceAll("/+$", "");
        return new TwilioSettings(sid, token, from, service, URI.create(api.replaceAll("/+$", "") + "/"),
                publicUrl + "/webhooks/twilio/status", timeout(settings));
    }

    /** {@code SURVEYCAST_TWILIO_TIMEOUT}: the longest a request to Twilio may take (default 30 s). */
    public static java.time.Duration timeout(Settings settings) {
        String value = settings.get("surveycast.twilio.timeout", "PT30S");
        try {
            java.time.Duration timeout = java.time.Duration.parse(value);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new java.time.format.DateTimeParseException("not positive", value, 0);
            }
            return timeout;
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException("SURVEYCAST_TWILIO_TIMEOUT: not a positive ISO-8601 duration: " + value);
        }
    }
}
