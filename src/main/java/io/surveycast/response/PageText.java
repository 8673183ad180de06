package io.surveycast.response;

import io.surveycast.channel.TemplateStore;
import java.util.Map;

/**
 * The wording of a web page in the visitor's language: {@code templates/web/PAGE.properties},
 * overlaid by {@code PAGE.fr.properties} and {@code PAGE.fr-CA.properties} when they exist, looked
 * up like the message templates (override directory first, then the packaged defaults).
 */
final class PageText {
    private PageText() {
    }

    static Map<String, String> load(TemplateStore templates, String page, String locale) {
        return templates.text("web/" + page, locale);
    }
}
