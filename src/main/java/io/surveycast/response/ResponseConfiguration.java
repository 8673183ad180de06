package io.surveycast.response;

import io.surveycast.channel.Channels;
import io.surveycast.channel.TemplateStore;
import io.surveycast.config.OutgoingUrls;
import io.surveycast.config.Settings;
import io.surveycast.dispatch.DeliveryReceipts;
import io.surveycast.http.FormSigner;
import io.surveycast.user.SessionAuth;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.jooq.DSLContext;

/**
 * Answers: the survey page, SMS replies and Twilio's webhooks, the response page and API, and the
 * notification outbox's sender (webhooks, detractor alerts). The SMS conversation is shared with
 * the development SMS sandbox.
 */
public final class ResponseConfiguration implements CamelConfiguration {
    private ResponseNotices notices;
    private Responses responses;
    private SmsConversation conversation;

    @BindToRegistry("notices")
    ResponseNotices notices(@BeanInject("settings") Settings settings) {
        return sharedNotices(settings);
    }

    @BindToRegistry("responses")
    Responses responses(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                        @BeanInject("clock") Clock clock) {
        return sharedResponses(settings, dsl, clock);
    }

    @BindToRegistry("surveyPage")
    SurveyPage surveyPage(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                          @BeanInject("clock") Clock clock, @BeanInject("templates") TemplateStore templates,
                          @BeanInject("formSigner") FormSigner formSigner) {
        return new SurveyPage(sharedResponses(settings, dsl, clock), templates, clock, company(settings), formSigner);
    }

    @BindToRegistry("responsePage")
    ResponsePage responsePage(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                              @BeanInject("sessionAuth") SessionAuth sessionAuth,
                              @BeanInject("templates") TemplateStore templates) {
        return new ResponsePage(dsl, sessionAuth, templates, company(settings));
    }

    @BindToRegistry("smsConversation")
    SmsConversation smsConversation(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                                    @BeanInject("clock") Clock clock, @BeanInject("templates") TemplateStore templates) {
        return conversation(settings, dsl, clock, templates);
    }

    /** {@code /webhooks/twilio/sms} and {@code /webhooks/twilio/status}. */
    @BindToRegistry("twilioWebhooks")
    TwilioWebhooks twilioWebhooks(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                                  @BeanInject("clock") Clock clock, @BeanInject("templates") TemplateStore templates,
                                  @BeanInject("deliveryReceipts") DeliveryReceipts receipts) {
        return new TwilioWebhooks(settings.get("twilio.auth-token").orElse(null), settings.publicUrl(),
                conversation(settings, dsl, clock, templates), receipts);
    }

    @BindToRegistry("notificationSender")
    NotificationSender notificationSender(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                                          @BeanInject("clock") Clock clock, @BeanInject("templates") TemplateStore templates,
                                          @BeanInject("channels") Channels channels,
                                          @BeanInject("outgoingUrls") OutgoingUrls outgoing) {
        return new NotificationSender(dsl, clock, sharedNotices(settings), channels.email(), templates,
                settings.get("surveycast.webhook.secret").orElse(null), channels.mailFrom(), outgoing);
    }

    @BindToRegistry("responsesEndpoint")
    ResponsesEndpoint responsesEndpoint(@BeanInject("dsl") DSLContext dsl) {
        return new ResponsesEndpoint(new ResponseSearch(dsl));
    }

    private synchronized ResponseNotices sharedNotices(Settings settings) {
        if (notices == null) {
            notices = ResponseNotices.fromSettings(settings);
        }
        return notices;
    }

    private synchronized Responses sharedResponses(Settings settings, DSLContext dsl, Clock clock) {
        if (responses == null) {
            responses = new Responses(dsl, clock, sharedNotices(settings));
        }
        return responses;
    }

    private synchronized SmsConversation conversation(Settings settings, DSLContext dsl, Clock clock, TemplateStore templates) {
        if (conversation == null) {
            conversation = new SmsConversation(dsl, clock, sharedNotices(settings), templates, settings.publicUrl(),
                    company(settings));
        }
        return conversation;
    }

    private static String company(Settings settings) {
        return settings.get("surveycast.company-name", "Acme");
    }
}
