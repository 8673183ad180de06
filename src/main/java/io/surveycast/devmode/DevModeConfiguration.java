package io.surveycast.devmode;

import io.surveycast.channel.Channels;
import io.surveycast.config.Settings;
import io.surveycast.response.SmsConversation;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.jooq.DSLContext;

/** The development pages: captured mail ({@code /dev/mail}) and the SMS sandbox ({@code /dev/sms}). */
public final class DevModeConfiguration implements CamelConfiguration {

    @BindToRegistry("devEndpoints")
    DevEndpoints devEndpoints(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                              @BeanInject("clock") Clock clock, @BeanInject("channels") Channels channels,
                              @BeanInject("smsConversation") SmsConversation conversation) {
        return new DevEndpoints(dsl, channels.emailCaptured(), channels.smsCaptured(), conversation::receive, clock,
                Boolean.parseBoolean(settings.get("surveycast.dev-pages.remote", "false")));
    }
}
