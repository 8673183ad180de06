package io.surveycast.theme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default themes, the rules, the model and the sentiment words on the labelled comments of
 * {@code src/test/resources/themes/labelled-comments.tsv} (see LABELS.md there): precision and
 * recall of every default theme and sentiment agreement at least 0.8, printed per theme for the
 * whole set, the tuning part and the held-out part (ids divisible by 3), with the rate of
 * theme-less comments that got a theme anyway. The model runs in the JVM: no network is used.
 */
class ThemeTaggingAccuracyTest {
    static final double TARGET = 0.8;

    record Labelled(int id, String lang, int score, Set<String> themes, String sentiment, String comment) {
        boolean heldOut() {
            return id % 3 == 0;
        }
    }

    record Result(Labelled labelled, ThemeTagger.Tagging tagging) {
        Set<String> predicted() {
            Set<String> keys = new TreeSet<>();
            tagging.tags().forEach(t -> keys.add(t.theme()));
            return keys;
        }
    }

    static List<Labelled> labelled;
    static List<Result> results;
    static List<String> themeKeys;
    static KeywordRules rules;

    @BeforeAll
    static void tagAll() throws IOException {
        labelled = read();
        Stems stems = new Stems();
        {
            List<ThemeDefinition> themes = DefaultThemes.definitions(stems);
            themeKeys = themes.stream().map(ThemeDefinition::key).toList();
            rules = new KeywordRules(themes, stems);
            var tagger = new ThemeTagger(rules,
                    new ExampleMatcher(themes, ExampleMatcher.DEFAULT_THRESHOLD), new Sentiments(stems), stems);
            var tagged = tagger.tag(labelled.stream().map(l -> new ThemeTagger.Comment(l.comment(), l.score())).toList(), () -> false);
            results = new ArrayList<>();
            for (int i = 0; i < labelled.size(); i++) {
                results.add(new Result(labelled.get(i), tagged.get(i)));
            }
        }
        print("all", r -> true);
        print("tuning part (id not divisible by 3)", r -> !r.labelled().heldOut());
        print("held-out part (id divisible by 3)", r -> r.labelled().heldOut());
        if (System.getProperty("themes.showErrors") != null) {
            results.stream().filter(r -> !r.labelled().heldOut()).filter(r -> !r.predicted().equals(r.labelled().themes())
                            || !r.tagging().sentiment().equals(r.labelled().sentiment()))
                    .forEach(r -> System.out.printf("#%d %s want %s/%s got %s/%s %s%n", r.labelled().id(), r.labelled().lang(),
                            r.labelled().themes(), r.labelled().sentiment(), r.predicted(), r.tagging().sentiment(),
                            rules.explain(r.labelled().comment())));
            var all = new ExampleMatcher(DefaultThemes.definitions(stems), -1);
            var untagged = results.stream().filter(r -> !r.labelled().heldOut())
                    .filter(r -> rules.match(r.labelled().comment()).isEmpty()).toList();
            var matches = all.match(untagged.stream().map(r -> r.labelled().comment()).toList(), () -> false);
            for (int i = 0; i < untagged.size(); i++) {
                System.out.printf("model #%d %s want %s best %s%n", untagged.get(i).labelled().id(), untagged.get(i).labelled().lang(),
                        untagged.get(i).labelled().themes(), matches.get(i).entrySet().stream().limit(2).toList());
            }
        }
    }

    @Test
    void everyDefaultThemeHasPrecisionAndRecallOfAtLeast80Percent() {
        Map<String, double[]> figures = figures(r -> true);
        figures.forEach((theme, f) -> {
            assertThat(f[0]).as("precision of %s", theme).isGreaterThanOrEqualTo(TARGET);
            assertThat(f[1]).as("recall of %s", theme).isGreaterThanOrEqualTo(TARGET);
        });
        assertThat(figures.keySet()).containsExactlyInAnyOrder("support", "pricing", "ease-of-use", "missing-features",
                "reliability", "product-quality", "onboarding");
    }

    @Test
    void sentimentAgreesWithTheLabelOnAtLeast80Percent() {
        assertThat(sentimentAgreement(r -> true)).isGreaterThanOrEqualTo(TARGET);
    }

    @Test
    void mostCommentsWithoutThemeGetNone() {
        assertThat(falsePositiveRate(r -> true)).isLessThanOrEqualTo(0.2);
    }

    @Test
    void theSetIsLargeAndVaried() {
        assertThat(labelled).hasSizeGreaterThanOrEqualTo(300);
        assertThat(labelled).anyMatch(l -> l.lang().equals("fr")).anyMatch(l -> l.lang().equals("en"))
                .anyMatch(l -> l.themes().isEmpty()).anyMatch(l -> l.themes().size() >= 3)
                .anyMatch(l -> l.comment().length() > 200);
    }

    /** Per theme: precision, recall, labelled count, tagged count. */
    static Map<String, double[]> figures(Predicate<Result> part) {
        Map<String, double[]> figures = new LinkedHashMap<>();
        for (String theme : themeKeys) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (Result r : results) {
                if (!part.test(r)) {
                    continue;
                }
                boolean want = r.labelled().themes().contains(theme);
                boolean got = r.predicted().contains(theme);
                tp += want && got ? 1 : 0;
                fp += !want && got ? 1 : 0;
                fn += want && !got ? 1 : 0;
            }
            figures.put(theme, new double[] {tp + fp == 0 ? 1 : (double) tp / (tp + fp), tp + fn == 0 ? 1 : (double) tp / (tp + fn),
                    tp + fn, tp + fp});
        }
        return figures;
    }

    static double sentimentAgreement(Predicate<Result> part) {
        var in = results.stream().filter(part).toList();
        return (double) in.stream().filter(r -> r.labelled().sentiment().equals(r.tagging().sentiment())).count() / in.size();
    }

    static double falsePositiveRate(Predicate<Result> part) {
        var none = results.stream().filter(part).filter(r -> r.labelled().themes().isEmpty()).toList();
        return (double) none.stream().filter(r -> !r.predicted().isEmpty()).count() / none.size();
    }

    private static void print(String title, Predicate<Result> part) {
        long count = results.stream().filter(part).count();
        System.out.printf("%nTheme tagging, %s: %d comments%n", title, count);
        System.out.printf("%-18s %9s %7s %9s %7s%n", "theme", "precision", "recall", "labelled", "tagged");
        figures(part).forEach((theme, f) -> System.out.printf("%-18s %9.2f %7.2f %9d %7d%n", theme, f[0], f[1], (int) f[2], (int) f[3]));
        long none = results.stream().filter(part).filter(r -> r.labelled().themes().isEmpty()).count();
        System.out.printf("no-theme comments given a theme anyway: %.2f (of %d)%n", falsePositiveRate(part), none);
        System.out.printf("sentiment agreeing with the label: %.2f%n", sentimentAgreement(part));
        long byModel = results.stream().filter(part).filter(r -> r.tagging().tags().stream()
                .anyMatch(t -> t.source().equals(ThemeTagger.MODEL))).count();
        System.out.printf("comments tagged by the model (no rule matched): %d%n", byModel);
    }

    private static List<Labelled> read() throws IOException {
        try (InputStream in = ThemeTaggingAccuracyTest.class.getResourceAsStream("/themes/labelled-comments.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            List<Labelled> rows = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split("\t", 6);
                Set<String> themes = f[3].equals("-") ? Set.of() : new TreeSet<>(Arrays.asList(f[3].split(";")));
                rows.add(new Labelled(Integer.parseInt(f[0]), f[1], Integer.parseInt(f[2]), themes, f[4], f[5]));
            }
            return rows;
        }
    }
}
