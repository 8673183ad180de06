package io.surveycast.contact;

import io.surveycast.config.Settings;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.jooq.DSLContext;

/** The contacts API. */
public final class ContactConfiguration implements CamelConfiguration {

    @BindToRegistry("contactsEndpoint")
    ContactsEndpoint contactsEndpoint(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                                      @BeanInject("clock") Clock clock) {
        return new ContactsEndpoint(new Contacts(dsl, clock, settings.get("surveycast.default-region", "US")));
    }
}
