package io.surveycast.campaign;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.OutgoingUrls;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.jooq.DSLContext;

/** Campaigns as code: applying and listing them, for the API and the admin pages. */
public final class CampaignConfiguration implements CamelConfiguration {
    private Campaigns campaigns;

    @BindToRegistry("campaigns")
    Campaigns campaigns(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock,
                        @BeanInject("templates") TemplateStore templates, @BeanInject("fatiguePolicy") FatiguePolicy policy,
                        @BeanInject("outgoingUrls") OutgoingUrls outgoing) {
        return shared(dsl, clock, templates, policy, outgoing);
    }

    @BindToRegistry("campaignsEndpoint")
    CampaignsEndpoint campaignsEndpoint(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock,
                                        @BeanInject("templates") TemplateStore templates,
                                        @BeanInject("fatiguePolicy") FatiguePolicy policy,
                                        @BeanInject("outgoingUrls") OutgoingUrls outgoing) {
        return new CampaignsEndpoint(shared(dsl, clock, templates, policy, outgoing));
    }

    private synchronized Campaigns shared(DSLContext dsl, Clock clock, TemplateStore templates, FatiguePolicy policy,
                                          OutgoingUrls outgoing) {
        if (campaigns == null) {
            campaigns = new Campaigns(dsl, clock, templates, policy, outgoing);
        }
        return campaigns;
    }
}
