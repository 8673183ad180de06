package io.surveycast.theme;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sentiment of a comment: positive and negative words and phrases of each language
 * ({@code sentiment.LANG.txt}, matched on stems like theme keywords), each turned round by a
 * negation shortly before it ("not easy", "pas cher"), what comes before a "but" counting half, in
 * the comment's language, plus a lean from the score that came with the comment, which decides short
 * and ironic comments ("great, another outage" with a 2).
 */
final class Sentiments {
    static final String POSITIVE = "positive";
    static final String NEUTRAL = "neutral";
    static final String NEGATIVE = "negative";
    /** How many words before a sentiment word a negation still applies to. */
    private static final int NEGATION_REACH = 3;

    private record Entry(List<String> words, int polarity) {
    }

    private record Lexicon(Map<String, List<Entry>> byFirst, Set<String> negations, Set<String> contrasts) {
    }

    private final Stems stems;
    private final Map<String, Lexicon> lexicons = new HashMap<>();

    Sentiments(Stems stems) {
        this.stems = stems;
        for (String language : Stems.LANGUAGES) {
            lexicons.put(language, load(language));
        }
    }

    /**
     * @param score the 0-10 score given with the comment, or null
     * @return positive, neutral or negative; null for an empty comment
     */
    String of(String comment, Integer score) {
        if (comment == null || comment.isBlank()) {
            return null;
        }
        String language = stems.language(comment);
        double total = Math.max(-2, Math.min(2, polarity(stems.of(comment, language), lexicons.get(language))));
        if (score != null) {
            total += lean(score);
        }
        return total > 0.5 ? POSITIVE : total < -0.5 ? NEGATIVE : NEUTRAL;
    }

    /**
     * What the score adds: nothing for a passive, more the further out it is. Words that contradict
     * an extreme score are more often irony than a real contradiction ("love that" with a 2).
     */
    private static double lean(int score) {
        return switch (score) {
            case 0, 1, 2 -> -1.5;
            case 3, 4 -> -1;
            case 5, 6 -> -0.5;
            case 7, 8 -> 0;
            case 9 -> 1;
            default -> 1.5;
        };
    }

    private static double polarity(List<String> tokens, Lexicon lexicon) {
        double sum = 0;
        int lastNegation = -100;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (lexicon.contrasts().contains(token)) {
                // what comes after "but" is what the writer means: what came before counts half
                sum /= 2;
                continue;
            }
            Entry found = null;
            for (Entry entry : lexicon.byFirst().getOrDefault(token, List.of())) {
                if (matchesAt(tokens, i, entry.words())) {
                    found = entry;
                    break;
                }
            }
            if (found != null) {
                boolean negated = i - lastNegation <= NEGATION_REACH;
                sum += negated ? -found.polarity() : found.polarity();
                i += found.words().size() - 1;
            } else if (lexicon.negations().contains(token)) {
                lastNegation = i;
            }
        }
        return sum;
    }

    private static boolean matchesAt(List<String> tokens, int i, List<String> words) {
        if (i + words.size() > tokens.size()) {
            return false;
        }
        for (int j = 0; j < words.size(); j++) {
            if (!tokens.get(i + j).equals(words.get(j))) {
                return false;
            }
        }
        return true;
    }

    /** Lines {@code + word or phrase}, {@code - word or phrase}, {@code ! negation}, {@code ~ but}; {@code #} comments. */
    private Lexicon load(String language) {
        Map<String, List<Entry>> byFirst = new HashMap<>();
        Set<String> negations = new HashSet<>();
        Set<String> contrasts = new HashSet<>();
        String name = "sentiment." + language + ".txt";
        try (InputStream in = Sentiments.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                char kind = line.charAt(0);
                List<String> words = stems.of(line.substring(1).strip(), language);
                if (words.isEmpty()) {
                    continue;
                }
                if (kind == '!') {
                    negations.addAll(words);
                } else if (kind == '~') {
                    contrasts.addAll(words);
                } else {
                    Entry entry = new Entry(words, kind == '+' ? 1 : -1);
                    byFirst.computeIfAbsent(words.get(0), w -> new ArrayList<>()).add(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // longer phrases first, so "not bad" wins over "bad"
        byFirst.values().forEach(list -> list.sort((a, b) -> b.words().size() - a.words().size()));
        return new Lexicon(byFirst, negations, contrasts);
    }
}
