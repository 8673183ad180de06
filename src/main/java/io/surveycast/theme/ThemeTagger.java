package io.surveycast.theme;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Tags comments: keyword rules first; a comment no rule tags goes to the embedding model, which
 * tags it with the closest theme (or two) above its threshold; and a sentiment for each.
 */
final class ThemeTagger {
    static final String RULE = "rule";
    static final String MODEL = "model";
    static final String MANUAL = "manual";
    /** The model gives one theme, the closest: it guesses, where rules know. */
    private static final int MODEL_THEMES = 1;
    private static final int MODEL_MIN_WORDS = 3;

    record Comment(String text, Integer score) {
    }

    record Tag(String theme, String source, Float similarity) {
    }

    /** A comment's themes and sentiment; no tags and a null sentiment for an empty comment. */
    record Tagging(List<Tag> tags, String sentiment) {
    }

    private final KeywordRules rules;
    private final ExampleMatcher examples;
    private final Sentiments sentiments;
    private final Stems stems;

    /** @param examples null to tag by rules only */
    ThemeTagger(KeywordRules rules, ExampleMatcher examples, Sentiments sentiments, Stems stems) {
        this.stems = stems;
        this.rules = rules;
        this.examples = examples;
        this.sentiments = sentiments;
    }

    /**
     * Whether the model may say something about a comment: it reads English only (French comments
     * never came near the threshold on the labelled set), and a comment of one or two words ("ok",
     * "n/a") gives it nothing to compare.
     */
    private boolean forModel(String text) {
        return stems.language(text).equals("en") && stems.words(text).size() >= MODEL_MIN_WORDS;
    }

    /** @param stopping checked between calls of the model: true abandons the batch ({@link ThemeTagging.TaggingStopped}) */
    List<Tagging> tag(List<Comment> comments, BooleanSupplier stopping) {
        List<List<Tag>> tags = new ArrayList<>();
        List<Integer> untagged = new ArrayList<>();
        for (int i = 0; i < comments.size(); i++) {
            String text = comments.get(i).text();
            List<Tag> found = new ArrayList<>();
            if (text != null && !text.isBlank()) {
                Set<String> matched = rules.match(text);
                matched.forEach(key -> found.add(new Tag(key, RULE, null)));
                if (matched.isEmpty() && forModel(text)) {
                    untagged.add(i);
                }
            }
            tags.add(found);
        }
        if (examples != null && !untagged.isEmpty()) {
            List<Map<String, Float>> matches = examples.match(untagged.stream().map(i -> comments.get(i).text()).toList(),
                    stopping);
            for (int j = 0; j < untagged.size(); j++) {
                List<Tag> found = tags.get(untagged.get(j));
                matches.get(j).entrySet().stream().limit(MODEL_THEMES)
                        .forEach(e -> found.add(new Tag(e.getKey(), MODEL, e.getValue())));
            }
        }
        List<Tagging> result = new ArrayList<>();
        for (int i = 0; i < comments.size(); i++) {
            Comment comment = comments.get(i);
            result.add(new Tagging(List.copyOf(tags.get(i)), sentiments.of(comment.text(), comment.score())));
        }
        return result;
    }
}
