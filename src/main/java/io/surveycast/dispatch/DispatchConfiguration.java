package io.surveycast.dispatch;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.channel.Channels;
import io.surveycast.channel.TemplateStore;
import io.surveycast.config.Settings;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.jooq.DSLContext;

/**
 * The dispatcher (the send routes' timer drains the outbox through it), the send routes' error
 * handler, and the message log's API. The dispatcher sends through Camel, so it is built once
 * the context is there ({@link #configure}).
 */
public final class DispatchConfiguration implements CamelConfiguration {
    @BeanInject("settings")
    Settings settings;
    @BeanInject("dsl")
    DSLContext dsl;
    @BeanInject("clock")
    Clock clock;
    @BeanInject("fatiguePolicy")
    FatiguePolicy fatiguePolicy;
    @BeanInject("templates")
    TemplateStore templates;
    @BeanInject("channels")
    Channels channels;

    @BindToRegistry("sendFailures")
    SendFailures sendFailures() {
        return new SendFailures();
    }

    @BindToRegistry("messagesEndpoint")
    MessagesEndpoint messagesEndpoint(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock) {
        return new MessagesEndpoint(new MessageLog(dsl, clock));
    }

    @BindToRegistry("deliveryReceipts")
    DeliveryReceipts deliveryReceipts(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock) {
        return new DeliveryReceipts(dsl, clock);
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        Dispatcher dispatcher = new Dispatcher(dsl, clock, fatiguePolicy, templates,
                new CamelChannelGateway(camelContext), DispatchOptions.fromSettings(settings), settings.publicUrl(),
                settings.get("surveycast.company-name", "Acme"), channels.mailFrom());
        camelContext.getRegistry().bind("dispatcher", dispatcher);
        // closed before the channels (services stop in the reverse order of their adding)
        camelContext.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dispatcher.close();
            }
        }, true, true);
    }
}
