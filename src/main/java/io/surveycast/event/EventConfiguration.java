package io.surveycast.event;

import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.jooq.DSLContext;

/** The events API ({@code POST /api/events}), which event-triggered campaigns plan from. */
public final class EventConfiguration implements CamelConfiguration {

    @BindToRegistry("eventsEndpoint")
    EventsEndpoint eventsEndpoint(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock) {
        return new EventsEndpoint(new Events(dsl, clock));
    }
}
