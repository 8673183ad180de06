package io.surveycast.campaign;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.channel.TemplateStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A text of a campaign in one or more languages (its question, its email subject), picked for a
 * contact's locale with the templates' fallback: {@code fr-CA}, then {@code fr}, then the default.
 * Stored as a plain string when it has one language only, so definitions written before
 * translations existed read (and hash) as they did.
 *
 * @param fallback  the text for every locale without its own
 * @param byLocale  language tag (as {@link java.util.Locale#toLanguageTag()} writes it, {@code fr-CA}) -> text
 */
public record LocalizedText(String fallback, Map<String, String> byLocale) {
    static final String DEFAULT_KEY = "default";

    public LocalizedText {
        byLocale = Map.copyOf(new TreeMap<>(byLocale));
    }

    public static LocalizedText of(String text) {
        return new LocalizedText(text, Map.of());
    }

    /** The text for a contact's locale (null or blank: the default). */
    public String in(String locale) {
        for (String candidate : TemplateStore.localeCandidates(locale)) {
            if (candidate.isEmpty()) {
                break;
            }
            String text = byLocale.get(candidate.substring(1));
            if (text != null) {
                return text;
            }
        }
        return fallback;
    }

    /** A language tag as written in YAML ({@code fr_CA}, {@code fr-ca}) the way locales are looked up ({@code fr-CA}). */
    static String normalise(String tag) {
        return java.util.Locale.forLanguageTag(tag.replace('_', '-')).toLanguageTag();
    }

    @JsonValue
    Object json() {
        if (byLocale.isEmpty()) {
            return fallback;
        }
        Map<String, String> json = new LinkedHashMap<>();
        json.put(DEFAULT_KEY, fallback);
        json.putAll(new TreeMap<>(byLocale));
        return json;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static LocalizedText fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            return of(node.asText());
        }
        Map<String, String> byLocale = new TreeMap<>();
        node.properties().forEach(e -> {
            if (!e.getKey().equals(DEFAULT_KEY)) {
                byLocale.put(e.getKey(), e.getValue().asText());
            }
        });
        return new LocalizedText(node.path(DEFAULT_KEY).asText(), byLocale);
    }
}
