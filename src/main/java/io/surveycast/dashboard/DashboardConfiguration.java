package io.surveycast.dashboard;

import io.surveycast.campaign.Campaigns;
import io.surveycast.channel.TemplateStore;
import io.surveycast.config.Settings;
import io.surveycast.http.FormSigner;
import io.surveycast.report.Reports;
import io.surveycast.schedule.DueRunner;
import io.surveycast.user.SessionAuth;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.jooq.DSLContext;

/** The dashboard's overview and the admin pages (campaigns, messages, suppressions). */
public final class DashboardConfiguration implements CamelConfiguration {

    @BindToRegistry("dashboardPage")
    DashboardPage dashboardPage(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                                @BeanInject("clock") Clock clock, @BeanInject("reports") Reports reports,
                                @BeanInject("sessionAuth") SessionAuth sessionAuth,
                                @BeanInject("templates") TemplateStore templates) {
        return new DashboardPage(dsl, reports, clock, sessionAuth, templates, settings.get("surveycast.company-name", "Acme"));
    }

    @BindToRegistry("adminPages")
    AdminPages adminPages(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                          @BeanInject("clock") Clock clock, @BeanInject("reports") Reports reports,
                          @BeanInject("sessionAuth") SessionAuth sessionAuth, @BeanInject("templates") TemplateStore templates,
                          @BeanInject("campaigns") Campaigns campaigns, @BeanInject("formSigner") FormSigner formSigner,
                          @BeanInject("dueRunner") DueRunner dueRunner) {
        return new AdminPages(dsl, reports, clock, sessionAuth, templates, settings.get("surveycast.company-name", "Acme"),
                campaigns, formSigner, dueRunner);
    }
}
