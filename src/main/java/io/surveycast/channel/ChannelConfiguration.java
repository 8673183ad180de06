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
        return Channels.fromSettings(settings, dsl, clock, captured);
    }

    /**
     * The send routes' channels by name, from the channels bound above ({@code configure} runs once
     * every bean is bound); their connections close when Camel stops, after the routes that use them.
     */
    @Override
    public void configure(CamelContext camelContext) throws Exception {
        var registry = camelContext.getRegistry();
        Channels bound = registry.lookupByNameAndType("channels", Channels.class);
        registry.bind("emailChannel", bound.email());
        registry.bind("smsChannel", bound.sms());
        camelContext.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                bound.close();
            }
        }, true, true);
    }
}
