package io.surveycast.history;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.Settings;
import io.surveycast.followup.CaseOpening;
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
                                    @BeanInject("clock") Clock clock, @BeanInject("caseOpening") CaseOpening cases) {
        return new HistoryEndpoint(new ContactHistory(dsl, accountAttribute(settings), cases::catchUp),
                new Accounts(dsl, clock, accountAttribute(settings), cases::catchUp));
    }

    @BindToRegistry("historyPages")
    HistoryPages historyPages(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                              @BeanInject("clock") Clock clock, @BeanInject("sessionAuth") SessionAuth sessionAuth,
                              @BeanInject("templates") TemplateStore templates,
                              @BeanInject("caseOpening") CaseOpening cases) {
        return new HistoryPages(new ContactHistory(dsl, accountAttribute(settings), cases::catchUp),
                new Accounts(dsl, clock, accountAttribute(settings), cases::catchUp),
                new io.surveycast.dashboard.SegmentChoices(dsl, clock), sessionAuth, templates,
                settings.get("surveycast.company-name", "Acme"));
    }

    /** The contact attribute naming a contact's account: {@code SURVEYCAST_ACCOUNT_ATTRIBUTE}, default {@code account}. */
    static String accountAttribute(Settings settings) {
        String name = settings.get("surveycast.account-attribute", "account").strip();
        return name.isEmpty() ? "account" : name;
    }
}
