package io.surveycast.campaign;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.OutgoingUrls;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.jooq.DSLContext;

/** Campaigns as code: applying and listing them, for the API and the admin pages. */
public final class CampaignConfiguration implements CamelConfiguration {

    @BindToRegistry("campaigns")
    Campaigns campaigns(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock,
                        @BeanInject("templates") TemplateStore templates, @BeanInject("fatiguePolicy") FatiguePolicy policy,
                        @BeanInject("outgoingUrls") OutgoingUrls outgoing) {
        return new Campaigns(dsl, clock, templates, policy, outgoing);
    }

    /** The API's endpoint on the campaigns bound above: {@code configure} runs once every bean is bound. */
    @Override
    public void configure(CamelContext camelContext) {
        var registry = camelContext.getRegistry();
        registry.bind("campaignsEndpoint", new CampaignsEndpoint(registry.lookupByNameAndType("campaigns", Campaigns.class)));
    }
}
