package io.surveycast.digest;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.Settings;
import io.surveycast.report.Reports;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.jooq.DSLContext;

/** Digests: the scheduled sends the due-scan route runs, and the digests API. */
public final class DigestConfiguration implements CamelConfiguration {

    @BindToRegistry("digests")
    Digests digests(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                    @BeanInject("clock") Clock clock, @BeanInject("reports") Reports reports,
                    @BeanInject("templates") TemplateStore templates) {
        return Digests.of(settings, dsl, clock, reports, templates);
    }

    /** The API's endpoint on the digests bound above: {@code configure} runs once every bean is bound. */
    @Override
    public void configure(CamelContext camelContext) {
        var registry = camelContext.getRegistry();
        registry.bind("digestsEndpoint", new DigestsEndpoint(registry.lookupByNameAndType("digests", Digests.class)));
    }
}
