package io.surveycast.followup;

import io.surveycast.campaign.CampaignSummary;
import io.surveycast.campaign.Campaigns;
import io.surveycast.channel.TemplateStore;
import io.surveycast.config.Settings;
import io.surveycast.http.FormSigner;
import io.surveycast.response.ResponseNotices;
import io.surveycast.user.SessionAuth;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.jooq.DSLContext;

/** Follow-up cases: the queue worker and the escalation the case routes run, the cases API and the case pages. */
public final class FollowUpConfiguration implements CamelConfiguration {
    private Cases cases;

    @BindToRegistry("caseOpening")
    CaseOpening caseOpening(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                            @BeanInject("clock") Clock clock, @BeanInject("templates") TemplateStore templates,
                            @BeanInject("notices") ResponseNotices notices) {
        return cases(settings, dsl, clock, templates, notices).opening();
    }

    @BindToRegistry("caseEscalation")
    CaseEscalation caseEscalation(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                                  @BeanInject("clock") Clock clock, @BeanInject("templates") TemplateStore templates,
                                  @BeanInject("notices") ResponseNotices notices) {
        return cases(settings, dsl, clock, templates, notices).escalation();
    }

    @BindToRegistry("casesEndpoint")
    CasesEndpoint casesEndpoint(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                                @BeanInject("clock") Clock clock, @BeanInject("templates") TemplateStore templates,
                                @BeanInject("notices") ResponseNotices notices) {
        return new CasesEndpoint(cases(settings, dsl, clock, templates, notices));
    }

    @BindToRegistry("casePages")
    CasePages casePages(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                        @BeanInject("clock") Clock clock, @BeanInject("templates") TemplateStore templates,
                        @BeanInject("notices") ResponseNotices notices, @BeanInject("sessionAuth") SessionAuth sessionAuth,
                        @BeanInject("formSigner") FormSigner formSigner, @BeanInject("campaigns") Campaigns campaigns) {
        return new CasePages(cases(settings, dsl, clock, templates, notices),
                () -> campaigns.list().stream().map(CampaignSummary::key).toList(), sessionAuth, templates, formSigner,
                settings.get("surveycast.company-name", "Acme"));
    }

    private synchronized Cases cases(Settings settings, DSLContext dsl, Clock clock, TemplateStore templates,
                                     ResponseNotices notices) {
        if (cases == null) {
            cases = Cases.of(dsl, clock, notices.webhookUrls(), templates, settings.publicUrl());
        }
        return cases;
    }
}
