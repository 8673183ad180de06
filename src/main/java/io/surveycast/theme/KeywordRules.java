package io.surveycast.theme;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keyword rules of a theme set: a comment mentions a theme when one of the theme's keywords or
 * phrases appears in it as consecutive word stems of the keyword's language. A keyword ending in
 * {@code *} matches on its written form, the last word as a prefix ({@code bill*}: bill, bills, billing).
 */
final class KeywordRules {
    private record Phrase(String theme, String keyword, List<String> words, boolean prefix) {
    }

    private final Stems stems;
    /** By language, then by first word: the phrases starting with it. */
    private final Map<String, Map<String, List<Phrase>>> stemmed = new HashMap<>();
    private final List<Phrase> prefixed = new ArrayList<>();

    KeywordRules(List<ThemeDefinition> themes, Stems stems) {
        this.stems = stems;
        for (ThemeDefinition theme : themes) {
            theme.keywords().forEach((language, keywords) -> {
                for (String trimmed : keywords.stream().flatMap(k -> expand(k.strip()).stream()).toList()) {
                    if (trimmed.endsWith("*")) {
                        List<String> words = stems.words(trimmed.substring(0, trimmed.length() - 1));
                        if (!words.isEmpty()) {
                            prefixed.add(new Phrase(theme.key(), trimmed, words, true));
                        }
                        continue;
                    }
                    List<String> words = stems.of(trimmed, language);
                    if (!words.isEmpty()) {
                        stemmed.computeIfAbsent(languageOf(language), l -> new HashMap<>())
                                .computeIfAbsent(words.get(0), w -> new ArrayList<>())
                                .add(new Phrase(theme.key(), trimmed, words, false));
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
        return expand(keyword.strip()).stream().anyMatch(trimmed -> trimmed.endsWith("*")
                ? stems.words(trimmed.substring(0, trimmed.length() - 1)).isEmpty()
                : stems.of(trimmed, language).isEmpty());
    }

    /** How many phrases {@link #expand} would make of the keyword, without making them. */
    static long expansions(String keyword) {
        long count = 1;
        int from = 0;
        for (int open; (open = keyword.indexOf('{', from)) >= 0; ) {
            int close = keyword.indexOf('}', open);
            if (close < 0) {
                break;
            }
            count *= keyword.substring(open + 1, close).split(",").length;
            if (count > Integer.MAX_VALUE) {
                return count;
            }
            from = close + 1;
        }
        return count;
    }

    /** {@code "{great,good} {tool,product}"}: the four phrases it stands for (braces do not nest). */
    static List<String> expand(String keyword) {
        int open = keyword.indexOf('{');
        int close = open < 0 ? -1 : keyword.indexOf('}', open);
        if (close < 0) {
            return List.of(keyword);
        }
        List<String> phrases = new ArrayList<>();
        for (String choice : keyword.substring(open + 1, close).split(",")) {
            for (String rest : expand(keyword.substring(close + 1))) {
                phrases.add(keyword.substring(0, open) + choice.strip() + rest);
            }
        }
        return phrases;
    }

    /** The keys of the themes the comment mentions, in the order first found. */
    Set<String> match(String comment) {
        return explain(comment).keySet();
    }

    /** The themes the comment mentions, each with the first of its keywords found. */
    Map<String, String> explain(String comment) {
        Map<String, String> found = new LinkedHashMap<>();
        stemmed.forEach((language, byFirst) -> scan(stems.of(comment, language), byFirst, found));
        if (!prefixed.isEmpty()) {
            List<String> words = stems.words(comment);
            for (Phrase phrase : prefixed) {
                if (!found.containsKey(phrase.theme()) && contains(words, 0, phrase)) {
                    found.put(phrase.theme(), phrase.keyword());
                }
            }
        }
        return found;
    }

    private static void scan(List<String> tokens, Map<String, List<Phrase>> byFirst, Map<String, String> found) {
        for (int i = 0; i < tokens.size(); i++) {
            List<Phrase> candidates = byFirst.get(tokens.get(i));
            if (candidates == null) {
                continue;
            }
            for (Phrase phrase : candidates) {
                if (!found.containsKey(phrase.theme()) && at(tokens, i, phrase)) {
                    found.put(phrase.theme(), phrase.keyword());
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
