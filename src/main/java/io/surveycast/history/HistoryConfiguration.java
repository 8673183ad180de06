package io.surveycast.history;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.Settings;
import io.surveycast.user.SessionAuth;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.jooq.DSLContext;

/** Contact and account history: the API's two operations and the two pages. */
public final class HistoryConfiguration implements CamelConfiguration {

    @BindToRegistry("historyEndpoint")
    HistoryEndpoint historyEndpoint(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                                    @BeanInject("clock") Clock clock) {
        return new HistoryEndpoint(new ContactHistory(dsl, accountAttribute(settings)),
                new Accounts(dsl, clock, accountAttribute(settings)));
    }

    @BindToRegistry("historyPages")
    HistoryPages historyPages(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                              @BeanInject("clock") Clock clock, @BeanInject("sessionAuth") SessionAuth sessionAuth,
                              @BeanInject("templates") TemplateStore templates) {
        return new HistoryPages(new ContactHistory(dsl, accountAttribute(settings)),
                new Accounts(dsl, clock, accountAttribute(settings)), sessionAuth, templates,
                settings.get("surveycast.company-name", "Acme"));
    }

    /** The contact attribute naming a contact's account: {@code SURVEYCAST_ACCOUNT_ATTRIBUTE}, default {@code account}. */
    static String accountAttribute(Settings settings) {
        String name = settings.get("surveycast.account-attribute", "account").strip();
        return name.isEmpty() ? "account" : name;
    }
}
