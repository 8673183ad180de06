package io.surveycast.response;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.messaging.Body;
import io.surveycast.dispatch.DeliveryReceipts;
import io.surveycast.http.FormBody;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Twilio's webhooks, each checked for Twilio's signature first (403 and no change otherwise):
 * {@code POST /webhooks/twilio/sms}, a text received, answered with TwiML (an empty
 * {@code <Response/>} when there is nothing to say); {@code POST /webhooks/twilio/status}, the
 * delivery status of a message we sent.
 */
public final class TwilioWebhooks {
    static final String SMS_PATH = "/webhooks/twilio/sms";
    static final String STATUS_PATH = "/webhooks/twilio/status";
    private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhooks.class);
    private final TwilioRequest requests;
    private final SmsConversation conversation;
    private final DeliveryReceipts receipts;

    public TwilioWebhooks(String authToken, String publicUrl, SmsConversation conversation, DeliveryReceipts receipts) {
        this.requests = new TwilioRequest(authToken, publicUrl);
        this.conversation = conversation;
        this.receipts = receipts;
        if (authToken == null) {
            LOG.warn("TWILIO_AUTH_TOKEN is not set: {} and {} refuse every request", SMS_PATH, STATUS_PATH);
        }
    }

    private Map<String, String> verified(Exchange exchange, String path) {
        return requests.verified(FormBody.of(exchange.getMessage()),
                exchange.getMessage().getHeader(TwilioRequest.SIGNATURE, String.class),
                exchange.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class), path);
    }

    public void sms(Exchange exchange) {
        Map<String, String> form = verified(exchange, SMS_PATH);
        String from = form.get("From");
        Optional<String> reply = from == null || from.isBlank() ? Optional.empty()
                : conversation.receive(form.get("MessageSid"), from.strip(), form.get("Body"), form.get("OptOutType"));
        MessagingResponse.Builder twiml = new MessagingResponse.Builder();
        reply.ifPresent(text -> twiml.message(new com.twilio.twiml.messaging.Message.Builder()
                .body(new Body.Builder(text).build()).build()));
        answer(exchange, twiml.build().toXml());
    }

    public void status(Exchange exchange) {
        Map<String, String> form = verified(exchange, STATUS_PATH);
        String sid = form.getOrDefault("MessageSid", form.get("SmsSid"));
        String status = form.getOrDefault("MessageStatus", form.get("SmsStatus"));
        DeliveryReceipts.Outcome outcome = receipts.record(sid, status, errorCode(form.get("ErrorCode")));
        LOG.debug("status {} {} {}: {}", sid, status, form.get("ErrorCode"), outcome);
        answer(exchange, new MessagingResponse.Builder().build().toXml());
    }

    private static Integer errorCode(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void answer(Exchange exchange, String xml) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(xml);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, "application/xml");
        message.setHeader("Cache-Control", "no-store");
    }
}
