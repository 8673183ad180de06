package io.surveycast.digest;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.Settings;
import io.surveycast.report.Reports;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.jooq.DSLContext;

/** Digests: the scheduled sends the due-scan route runs, and the digests API. */
public final class DigestConfiguration implements CamelConfiguration {
    private Digests digests;

    @BindToRegistry("digests")
    Digests digests(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                    @BeanInject("clock") Clock clock, @BeanInject("reports") Reports reports,
                    @BeanInject("templates") TemplateStore templates) {
        return shared(settings, dsl, clock, reports, templates);
    }

    @BindToRegistry("digestsEndpoint")
    DigestsEndpoint digestsEndpoint(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                                    @BeanInject("clock") Clock clock, @BeanInject("reports") Reports reports,
                                    @BeanInject("templates") TemplateStore templates) {
        return new DigestsEndpoint(shared(settings, dsl, clock, reports, templates));
    }

    private synchronized Digests shared(Settings settings, DSLContext dsl, Clock clock, Reports reports,
                                        TemplateStore templates) {
        if (digests == null) {
            digests = Digests.of(settings, dsl, clock, reports, templates);
        }
        return digests;
    }
}
