package io.surveycast.theme;

import io.surveycast.config.Settings;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.jooq.DSLContext;

/**
 * The theme tagger the tagging route drains every few seconds; a response's themes set by hand
 * (API and the response page's form) and the dashboard's Themes page.
 */
public final class ThemeConfiguration implements CamelConfiguration {

    @BindToRegistry("responseThemesEndpoint")
    ResponseThemesEndpoint responseThemesEndpoint(@BeanInject("dsl") DSLContext dsl, @BeanInject("clock") Clock clock) {
        return new ResponseThemesEndpoint(new Themes(dsl, clock));
    }

    @BindToRegistry("themesPage")
    ThemesPage themesPage(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                          @BeanInject("clock") Clock clock, @BeanInject("reports") io.surveycast.report.Reports reports,
                          @BeanInject("sessionAuth") io.surveycast.user.SessionAuth sessionAuth,
                          @BeanInject("templates") io.surveycast.channel.TemplateStore templates,
                          @BeanInject("formSigner") io.surveycast.http.FormSigner formSigner) {
        return new ThemesPage(new Themes(dsl, clock), new io.surveycast.response.ResponseSearch(dsl), reports, clock,
                sessionAuth, templates, settings.get("surveycast.company-name", "Acme"), formSigner,
                new io.surveycast.dashboard.SegmentChoices(dsl, clock));
    }

    @BindToRegistry("themeTagging")
    ThemeTagging themeTagging(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                              @BeanInject("clock") Clock clock) {
        return ThemeTagging.fromSettings(settings, dsl, clock);
    }
}
