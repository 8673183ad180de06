package io.surveycast.channel;

import io.surveycast.config.Settings;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.jooq.DSLContext;

/**
 * The email and SMS channels (the send routes call them by name) and the message templates.
 * Like every feature's configuration, its methods take only what earlier configurations bound
 * (Camel calls them in no set order), and build each object once.
 */
public final class ChannelConfiguration implements CamelConfiguration {
    private final CapturedChannels captured;
    private Channels channels;

    /** {@code captured}: development mode's channels, for a channel not configured. */
    public ChannelConfiguration(CapturedChannels captured) {
        this.captured = captured;
    }

    @BindToRegistry("templates")
    TemplateStore templates(@BeanInject("settings") Settings settings) {
        return new TemplateStore(settings.get("surveycast.templates-dir").map(Path::of));
    }

    @BindToRegistry("channels")
    Channels channels(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                      @BeanInject("clock") Clock clock) {
        return shared(settings, dsl, clock);
    }

    @BindToRegistry("emailChannel")
    Channel emailChannel(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                         @BeanInject("clock") Clock clock) {
        return shared(settings, dsl, clock).email();
    }

    @BindToRegistry("smsChannel")
    Channel smsChannel(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                       @BeanInject("clock") Clock clock) {
        return shared(settings, dsl, clock).sms();
    }

    private synchronized Channels shared(Settings settings, DSLContext dsl, Clock clock) {
        if (channels == null) {
            channels = Channels.fromSettings(settings, dsl, clock, captured);
        }
        return channels;
    }

    /** The channels' connections close when Camel stops, after the routes that use them. */
    @Override
    public void configure(CamelContext camelContext) throws Exception {
        Channels bound = channels;
        camelContext.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                bound.close();
            }
        }, true, true);
    }
}
