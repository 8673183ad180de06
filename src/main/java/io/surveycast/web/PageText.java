package io.surveycast.web;

import io.surveycast.channel.TemplateStore;
import java.io.IOException;
import java.io.Reader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The wording of a web page in the visitor's language: {@code templates/web/PAGE.properties},
 * overlaid by {@code PAGE.fr.properties} and {@code PAGE.fr-CA.properties} when they exist, looked
 * up like the message templates (override directory first, then the packaged defaults).
 */
public final class PageText {
    private PageText() {
    }

    public static Map<String, String> load(TemplateStore templates, String page, String locale) {
        Map<String, String> text = new HashMap<>();
        List<String> candidates = TemplateStore.localeCandidates(locale);
        for (int i = candidates.size() - 1; i >= 0; i--) { // the default first, the most specific last
            read(templates, "web/" + page + candidates.get(i) + ".properties", text);
        }
        return text;
    }

    private static void read(TemplateStore templates, String name, Map<String, String> into) {
        var loader = templates.freemarker().getTemplateLoader();
        try {
            Object source = loader.findTemplateSource(name);
            if (source == null) {
                return;
            }
            try (Reader reader = loader.getReader(source, "UTF-8")) {
                Properties properties = new Properties();
                properties.load(reader);
                properties.forEach((k, v) -> into.put((String) k, (String) v));
            } finally {
                loader.closeTemplateSource(source);
            }
        } catch (IOException e) {
            throw new IllegalStateException("templates/" + name + ": " + e.getMessage(), e);
        }
    }
}
