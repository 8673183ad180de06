package io.surveycast.response;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a score (and perhaps a comment) out of an SMS reply, in English or French whatever the
 * contact's locale: "9", " 9 ", "9/10", "9 out of 10", "10!", "nine", "NEUF", "9 - great support"
 * (9, "great support"), "neuf, super service", "I'd say 8 because ..." (8, the whole text).
 * Anything that could mean two things is refused rather than guessed: "7 or 8", "7-8", "100",
 * "8.5", "hello", a sentence with two numbers in it, a number word followed by words without a
 * separator ("un peu cher" is not a 1).
 */
final class SmsScoreParser {
    /** A score read from a reply; {@code comment} null when the reply was only the score. */
    record Reading(int score, String comment) { }

    private static final Map<String, Integer> WORDS = Map.ofEntries(
            Map.entry("zero", 0), Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3),
            Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7),
            Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10),
            Map.entry("un", 1), Map.entry("une", 1), Map.entry("deux", 2), Map.entry("trois", 3),
            Map.entry("quatre", 4), Map.entry("cinq", 5), Map.entry("sept", 7), Map.entry("huit", 8),
            Map.entry("neuf", 9), Map.entry("dix", 10));

    /** The score first: a number or number word, optionally "/10", "out of 10", "sur 10". */
    private static final Pattern LEADING = Pattern.compile(
            "^(?<score>\\d+|[a-z]+)(?:\\s*(?:/|out of|sur)\\s*10)?(?<rest>.*)$", Pattern.DOTALL);
    /** What may stand between a score and its comment. */
    private static final Pattern SEPARATOR = Pattern.compile("^[\\s\\-\u2013\u2014:;,.!)]+");
    /**
     * A second number right after the first: "7 or 8", "7-8", "7 ou 8", "7 to 8", "9, ten". One, un
     * and une are left out: "9, une super appli" and "9 - one of the best" are comments.
     */
    private static final Pattern SECOND_NUMBER = Pattern.compile("^(?:(?:or|ou|to|a)\\s+)?(?:\\d|(?:"
            + String.join("|", WORDS.keySet().stream().filter(w -> !w.equals("one") && !w.startsWith("un")).sorted().toList())
            + ")\\b)");
    private static final Pattern DECIMAL = Pattern.compile("^[.,]\\d");
    /** A score inside a sentence, only after words that announce one: "I'd say 8", "je donne 7". */
    private static final Pattern ANNOUNCED = Pattern.compile(
            "\\b(?:say|give|rate|rating|score|would be|i'?d go|dirais|donne|mets|note)\\b\\D{0,12}?\\b(\\d{1,2})\\b");
    private static final Pattern ANY_NUMBER = Pattern.compile("\\d+");

    Optional<Reading> parse(String reply) {
        if (reply == null) {
            return Optional.empty();
        }
        String original = reply.strip();
        // Accents off and lower case, keeping one character per character so positions stay those of the original.
        String text = fold(original);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Matcher leading = LEADING.matcher(text);
        if (leading.matches()) {
            Optional<Integer> score = score(leading.group("score"));
            if (score.isPresent()) {
                return withComment(score.get(), leading.group("score").chars().allMatch(Character::isDigit),
                        text, original, leading.start("rest"));
            }
            if (leading.group("score").chars().allMatch(Character::isDigit)) {
                return Optional.empty(); // a number out of range: "100", "11"
            }
        }
        return announced(text, original);
    }

    private static Optional<Reading> withComment(int score, boolean digits, String text, String original, int restAt) {
        String rest = text.substring(restAt);
        if (DECIMAL.matcher(rest).find()) {
            return Optional.empty();
        }
        Matcher separator = SEPARATOR.matcher(rest);
        int skipped = separator.find() ? separator.end() : 0;
        String after = rest.substring(skipped);
        if (after.isEmpty()) {
            return Optional.of(new Reading(score, null));
        }
        if (SECOND_NUMBER.matcher(after).find()) {
            return Optional.empty();
        }
        boolean separated = skipped > 0 && (digits || !rest.substring(0, skipped).isBlank());
        if (!separated) {
            return Optional.empty(); // "9great", or a word run into a sentence: "un peu cher"
        }
        String comment = original.substring(restAt + skipped).strip();
        return Optional.of(new Reading(score, comment.isEmpty() ? null : comment));
    }

    private static Optional<Reading> announced(String text, String original) {
        Matcher m = ANNOUNCED.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        Matcher numbers = ANY_NUMBER.matcher(text);
        int count = 0;
        while (numbers.find()) {
            count++;
        }
        int score = Integer.parseInt(m.group(1));
        if (count != 1 || score > 10) {
            return Optional.empty();
        }
        return Optional.of(new Reading(score, original));
    }

    private static Optional<Integer> score(String token) {
        if (token.chars().allMatch(Character::isDigit)) {
            if (token.length() > 2) {
                return Optional.empty();
            }
            int value = Integer.parseInt(token);
            return value <= 10 ? Optional.of(value) : Optional.empty();
        }
        return Optional.ofNullable(WORDS.get(token));
    }

    /** Lower case without accents, same length as the input (a character that would change length is kept). */
    static String fold(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String plain = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                    .toLowerCase(Locale.ROOT);
            out.append(plain.length() == 1 ? plain.charAt(0) : c);
        }
        return out.toString();
    }
}
