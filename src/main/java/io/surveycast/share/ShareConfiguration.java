package io.surveycast.share;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.Settings;
import io.surveycast.dashboard.DashboardFilter;
import io.surveycast.dashboard.Overview;
import io.surveycast.http.FormSigner;
import io.surveycast.http.StaticAssets;
import io.surveycast.http.TokenBackoff;
import io.surveycast.user.SessionAuth;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.jooq.DSLContext;

/** Wall-display links: the page without sign-in and the admins' page that makes and revokes them. */
public final class ShareConfiguration implements CamelConfiguration {
    private Shares shares;

    @BindToRegistry("sharePage")
    SharePage sharePage(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                        @BeanInject("clock") Clock clock, @BeanInject("overview") Overview overview,
                        @BeanInject("templates") TemplateStore templates, @BeanInject("tokenBackoff") TokenBackoff tokenBackoff) {
        return new SharePage(shared(settings, dsl, clock), () -> overview.figures(DashboardFilter.NONE), templates, tokenBackoff,
                settings.get("surveycast.company-name", "Acme"), StaticAssets.webjar("chart.js", "dist/chart.umd.min.js"));
    }

    @BindToRegistry("sharesPage")
    SharesPage sharesPage(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                          @BeanInject("clock") Clock clock, @BeanInject("sessionAuth") SessionAuth sessionAuth,
                          @BeanInject("templates") TemplateStore templates, @BeanInject("formSigner") FormSigner formSigner) {
        return new SharesPage(shared(settings, dsl, clock), sessionAuth, templates, formSigner,
                settings.get("surveycast.company-name", "Acme"));
    }

    private synchronized Shares shared(Settings settings, DSLContext dsl, Clock clock) {
        if (shares == null) {
            shares = new Shares(dsl, clock, settings.publicUrl());
        }
        return shares;
    }
}
