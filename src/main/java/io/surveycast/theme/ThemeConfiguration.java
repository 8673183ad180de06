package io.surveycast.theme;

import io.surveycast.config.Settings;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.jooq.DSLContext;

/**
 * The theme tagger the tagging route drains every few seconds; a response's themes set by hand
 * (API and the response page's form) and the dashboard's Themes page.
 */
public final class ThemeConfiguration implements CamelConfiguration {
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(15);

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

    /**
     * Stopping: the tagger stops taking work and its batch in hand ends (or is abandoned, left
     * queued) as Camel starts to stop, before the routes' graceful shutdown, so the tagging route
     * has no exchange in flight at its timeout and no thread is inside the embedding model's native
     * code when the process exits; once Camel has stopped, the tagger is closed.
     */
    @Override
    public void configure(CamelContext camelContext) {
        camelContext.addLifecycleStrategy(new LifecycleStrategySupport() {
            private ThemeTagging tagging;

            @Override
            public void onContextStopping(CamelContext context) {
                tagging = context.getRegistry().lookupByNameAndType("themeTagging", ThemeTagging.class);
                if (!tagging.stopTaking(STOP_PATIENCE)) {
                    org.slf4j.LoggerFactory.getLogger(ThemeTagging.class)
                            .warn("theme tagging still in its batch after {} s", STOP_PATIENCE.toSeconds());
                }
            }

            @Override
            public void onContextStopped(CamelContext context) {
                if (tagging != null) {
                    tagging.close();
                }
            }
        });
    }
}
