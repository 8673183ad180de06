package io.surveycast.promoter;

import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.jooq.DSLContext;

/**
 * Promoters (issue 14.4): {@code /r/{token}/{link}} and {@code GET /api/campaigns/{key}/links}. The
 * promoter email itself is queued by the due-scan and sent by the dispatcher, which need no bean here.
 */
public final class PromoterConfiguration implements CamelConfiguration {

    @BindToRegistry("linkClicksEndpoint")
    LinkClicksEndpoint linkClicksEndpoint(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock) {
        return new LinkClicksEndpoint(new LinkClicks(dsl, clock));
    }
}
