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

/**
 * The dashboard's overview, the segments page and the admin pages (campaigns, messages,
 * suppressions); {@code overview} (the overview's figures for a filter) and {@code segmentChoices}
 * (the segment filter's attributes and values) are bound for other pages to use.
 */
public final class DashboardConfiguration implements CamelConfiguration {
    private Overview overview;
    private SegmentChoices choices;

    @BindToRegistry("overview")
    Overview overview(@BeanInject("dsl") DSLContext dsl, @BeanInject("reports") Reports reports, @BeanInject("clock") Clock clock) {
        return sharedOverview(dsl, reports, clock);
    }

    @BindToRegistry("segmentChoices")
    SegmentChoices segmentChoices(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock) {
        return sharedChoices(dsl, clock);
    }

    @BindToRegistry("dashboardPage")
    DashboardPage dashboardPage(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                                @BeanInject("clock") Clock clock, @BeanInject("reports") Reports reports,
                                @BeanInject("sessionAuth") SessionAuth sessionAuth,
                                @BeanInject("templates") TemplateStore templates) {
        return new DashboardPage(sharedOverview(dsl, reports, clock), sharedChoices(dsl, clock), reports, sessionAuth, templates,
                settings.get("surveycast.company-name", "Acme"));
    }

    @BindToRegistry("segmentsPage")
    SegmentsPage segmentsPage(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                              @BeanInject("clock") Clock clock, @BeanInject("reports") Reports reports,
                              @BeanInject("sessionAuth") SessionAuth sessionAuth,
                              @BeanInject("templates") TemplateStore templates) {
        return new SegmentsPage(reports, sharedChoices(dsl, clock), sessionAuth, templates,
                settings.get("surveycast.company-name", "Acme"));
    }

    @BindToRegistry("adminPages")
    AdminPages adminPages(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                          @BeanInject("clock") Clock clock, @BeanInject("reports") Reports reports,
                          @BeanInject("sessionAuth") SessionAuth sessionAuth, @BeanInject("templates") TemplateStore templates,
                          @BeanInject("campaigns") Campaigns campaigns, @BeanInject("formSigner") FormSigner formSigner,
                          @BeanInject("dueRunner") DueRunner dueRunner) {
        return new AdminPages(dsl, reports, clock, sessionAuth, templates, settings.get("surveycast.company-name", "Acme"),
                campaigns, formSigner, dueRunner, sharedChoices(dsl, clock));
    }

    private synchronized Overview sharedOverview(DSLContext dsl, Reports reports, Clock clock) {
        if (overview == null) {
            overview = new Overview(dsl, reports, clock);
        }
        return overview;
    }

    private synchronized SegmentChoices sharedChoices(DSLContext dsl, Clock clock) {
        if (choices == null) {
            choices = new SegmentChoices(dsl, clock);
        }
        return choices;
    }
}
