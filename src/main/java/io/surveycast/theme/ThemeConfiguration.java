package io.surveycast.theme;

import io.surveycast.config.Settings;
import java.time.Clock;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.jooq.DSLContext;

/** The theme tagger the tagging route drains every few seconds. */
public final class ThemeConfiguration implements CamelConfiguration {

    @BindToRegistry("themeTagging")
    ThemeTagging themeTagging(@BeanInject("settings") Settings settings, @BeanInject("dsl") DSLContext dsl,
                              @BeanInject("clock") Clock clock) {
        return ThemeTagging.fromSettings(settings, dsl, clock);
    }
}
