package io.surveycast.consent;

import io.surveycast.channel.TemplateStore;
import io.surveycast.channel.email.BounceMailbox;
import io.surveycast.channel.email.BounceProcessor;
import io.surveycast.config.Settings;
import io.surveycast.http.FormSigner;
import java.time.Clock;
import java.util.Properties;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.jooq.DSLContext;
import org.slf4j.LoggerFactory;

/**
 * Consent: the unsubscribe page, the bounce mailbox (its route's placeholders, and whether it
 * starts), and the signer of every form (its secret is the unsubscribe links' one, which all nodes share).
 */
public final class ConsentConfiguration implements CamelConfiguration {
    @BeanInject("settings")
    Settings settings;
    private EmailUnsubscribe unsubscribes;

    @BindToRegistry("formSigner")
    FormSigner formSigner(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock) {
        return new FormSigner(shared(dsl, clock)::formSecret);
    }

    @BindToRegistry("unsubscribeEndpoint")
    UnsubscribeEndpoint unsubscribeEndpoint(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock,
                                            @BeanInject("settings") Settings settings,
                                            @BeanInject("templates") TemplateStore templates) {
        return new UnsubscribeEndpoint(shared(dsl, clock), templates, settings.get("surveycast.company-name", "Acme"));
    }

    @BindToRegistry("bounceProcessor")
    BounceProcessor bounceProcessor(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock,
                                    @BeanInject("settings") Settings settings) {
        return new BounceProcessor(dsl, clock, shared(dsl, clock), settings.getInt("surveycast.bounce.soft-limit", 3));
    }

    @BindToRegistry("bounceMailProperties")
    Properties bounceMailProperties(@BeanInject("settings") Settings settings) {
        BounceMailbox mailbox = BounceMailbox.fromSettings(settings);
        return mailbox == null ? new Properties() : mailbox.javaMailProperties();
    }

    @Override
    public void configure(CamelContext camelContext) {
        BounceMailbox mailbox = BounceMailbox.fromSettings(settings);
        BounceMailbox.routeProperties(mailbox).forEach(camelContext.getPropertiesComponent()::addOverrideProperty);
        if (mailbox != null) {
            LoggerFactory.getLogger("io.surveycast.App").info("bounce mailbox: {}", mailbox.describe());
        }
    }

    private synchronized EmailUnsubscribe shared(DSLContext dsl, Clock clock) {
        if (unsubscribes == null) {
            unsubscribes = new EmailUnsubscribe(dsl, clock);
        }
        return unsubscribes;
    }
}
