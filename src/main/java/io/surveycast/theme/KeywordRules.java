package io.surveycast.theme;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keyword rules of a theme set: a comment mentions a theme when one of the theme's keywords or
 * phrases appears in it as consecutive word stems of the keyword's language. A keyword ending in
 * {@code *} matches on its written form, the last word as a prefix ({@code bill*}: bill, bills, billing).
 */
final class KeywordRules {
    private record Phrase(String theme, List<String> words, boolean prefix) {
    }

    private final Stems stems;
    /** By language, then by first word: the phrases starting with it. */
    private final Map<String, Map<String, List<Phrase>>> stemmed = new HashMap<>();
    private final List<Phrase> prefixed = new ArrayList<>();

    KeywordRules(List<ThemeDefinition> themes, Stems stems) {
        this.stems = stems;
        for (ThemeDefinition theme : themes) {
            theme.keywords().forEach((language, keywords) -> {
                for (String keyword : keywords) {
                    String trimmed = keyword.strip();
                    if (trimmed.endsWith("*")) {
                        List<String> words = stems.words(trimmed.substring(0, trimmed.length() - 1));
                        if (!words.isEmpty()) {
                            prefixed.add(new Phrase(theme.key(), words, true));
                        }
                        continue;
                    }
                    List<String> words = stems.of(trimmed, language);
                    if (!words.isEmpty()) {
                        stemmed.computeIfAbsent(languageOf(language), l -> new HashMap<>())
                                .computeIfAbsent(words.get(0), w -> new ArrayList<>())
                                .add(new Phrase(theme.key(), words, false));
                    }
                }
            });
        }
    }

    /** The rules' language for a keywords' language tag: {@code fr-CA} is French, anything not French is English. */
    static String languageOf(String tag) {
        return tag.toLowerCase(java.util.Locale.ROOT).startsWith("fr") ? "fr" : "en";
    }

    /** A keyword that gives no word at all (only punctuation, say), which could never match. */
    static boolean matchesNothing(String keyword, String language, Stems stems) {
        String trimmed = keyword.strip();
        return trimmed.endsWith("*") ? stems.words(trimmed.substring(0, trimmed.length() - 1)).isEmpty()
                : stems.of(trimmed, language).isEmpty();
    }

    /** The keys of the themes the comment mentions, in the order first found. */
    Set<String> match(String comment) {
        Set<String> found = new LinkedHashSet<>();
        stemmed.forEach((language, byFirst) -> scan(stems.of(comment, language), byFirst, found));
        if (!prefixed.isEmpty()) {
            List<String> words = stems.words(comment);
            for (Phrase phrase : prefixed) {
                if (!found.contains(phrase.theme()) && contains(words, 0, phrase)) {
                    found.add(phrase.theme());
                }
            }
        }
        return found;
    }

    private static void scan(List<String> tokens, Map<String, List<Phrase>> byFirst, Set<String> found) {
        for (int i = 0; i < tokens.size(); i++) {
            List<Phrase> candidates = byFirst.get(tokens.get(i));
            if (candidates == null) {
                continue;
            }
            for (Phrase phrase : candidates) {
                if (!found.contains(phrase.theme()) && at(tokens, i, phrase)) {
                    found.add(phrase.theme());
                }
            }
        }
    }

    private static boolean contains(List<String> tokens, int from, Phrase phrase) {
        for (int i = from; i < tokens.size(); i++) {
            if (at(tokens, i, phrase)) {
                return true;
            }
        }
        return false;
    }

    private static boolean at(List<String> tokens, int i, Phrase phrase) {
        List<String> words = phrase.words();
        if (i + words.size() > tokens.size()) {
            return false;
        }
        for (int j = 0; j < words.size(); j++) {
            String token = tokens.get(i + j);
            boolean last = j == words.size() - 1;
            if (last && phrase.prefix() ? !token.startsWith(words.get(j)) : !token.equals(words.get(j))) {
                return false;
            }
        }
        return true;
    }
}
