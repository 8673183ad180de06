package io.surveycast.theme;

import java.util.List;
import java.util.Map;

/**
 * One theme as written in YAML: its key, label, keywords or phrases per language (a language's
 * keywords are matched on word stems of that language; {@code bill*} asks for every word starting
 * with {@code bill}) and example sentences the embedding model compares comments with.
 */
record ThemeDefinition(String key, String label, Map<String, List<String>> keywords, List<String> examples) {
    ThemeDefinition {
        // sorted, so that the stored JSON (and its hash) is the same for the same definition
        keywords = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(keywords));
        examples = List.copyOf(examples);
    }
}
