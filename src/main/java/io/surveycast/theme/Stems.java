package io.surveycast.theme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.SetKeywordMarkerFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.tartarus.snowball.ext.EnglishStemmer;

/**
 * Word stems of a text in one language, by Lucene's analyzers: English through Krovetz (so
 * {@code slowly} is {@code slow}) then Snowball (so {@code features} is {@code featur}); French
 * through elision ({@code l'}, {@code qu'}), accent folding and the light French stemmer. Words
 * that are words of their own rather than forms of a shorter one ({@code billing} is not a form
 * of {@code bill}) are kept as they are. Thread-safe: Lucene reuses components per thread.
 */
final class Stems implements AutoCloseable {
    static final List<String> LANGUAGES = List.of("en", "fr");

    /** English nouns in -ing and the like that stemmers would fold into another word. */
    private static final Set<String> ENGLISH_KEPT = Set.of("billing", "building", "meeting", "setting", "settings",
            "training", "morning", "evening", "nothing", "something", "anything", "everything", "thing", "things",
            "news", "during", "feeling", "feelings", "learning", "bring", "usability");
    /** French words a light stemmer would fold into another one ({@code prix}, price, into {@code pris}, taken). */
    private static final Set<String> FRENCH_KEPT = Set.of("prix");
    private static final CharArraySet ELISIONS = new CharArraySet(
            List.of("l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"), true);

    private final Analyzer english = analyzer(source -> {
        TokenStream s = new EnglishPossessiveFilter(source);
        s = new LowerCaseFilter(s);
        s = new SetKeywordMarkerFilter(s, new CharArraySet(ENGLISH_KEPT, true));
        s = new KStemFilter(s);
        return new SnowballFilter(s, new EnglishStemmer());
    });
    private final Analyzer french = analyzer(source -> {
        TokenStream s = new ElisionFilter(source, ELISIONS);
        s = new LowerCaseFilter(s);
        s = new ASCIIFoldingFilter(s);
        s = new SetKeywordMarkerFilter(s, new CharArraySet(FRENCH_KEPT, true));
        return new FrenchLightStemFilter(s);
    });
    /** Lower-case, accents folded, no stemming: for keywords ending in {@code *}. */
    private final Analyzer plain = analyzer(source -> new ASCIIFoldingFilter(new LowerCaseFilter(source)));

    private interface Chain {
        TokenStream filters(Tokenizer source);
    }

    private static Analyzer analyzer(Chain chain) {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer source = new StandardTokenizer();
                return new TokenStreamComponents(source, chain.filters(source));
            }
        };
    }

    /** The stems of {@code text} in {@code language} ({@code en} or {@code fr}; others read as English). */
    List<String> of(String text, String language) {
        return tokens(language.toLowerCase(Locale.ROOT).startsWith("fr") ? french : english, text);
    }

    private static final Set<String> ENGLISH_WORDS = Set.of("the", "and", "is", "it", "to", "of", "a", "i", "was", "for",
            "with", "not", "but", "you", "we", "my", "this", "that", "are", "very", "in", "on", "our", "have", "has", "no",
            "so", "too", "be", "they", "your", "its", "it's", "can't", "don't", "doesn't");
    private static final Set<String> FRENCH_WORDS = Set.of("le", "la", "les", "et", "est", "de", "des", "un", "une", "pas",
            "je", "nous", "on", "en", "du", "tres", "pour", "que", "qui", "avec", "mais", "ce", "c'est", "au", "aux", "il",
            "elle", "vous", "sont", "ne", "plus", "trop", "bien", "tout", "sans", "j'ai", "ça", "ca", "l'", "d'");

    /** {@code fr} when the text has more French than English small words, else {@code en}. */
    String language(String text) {
        int english = 0;
        int french = 0;
        for (String word : words(text)) {
            english += ENGLISH_WORDS.contains(word) ? 1 : 0;
            french += FRENCH_WORDS.contains(word) ? 1 : 0;
        }
        return french > english ? "fr" : "en";
    }

    /** The words of {@code text}, lower-case and without accents, not stemmed. */
    List<String> words(String text) {
        return tokens(plain, text);
    }

    private static List<String> tokens(Analyzer analyzer, String text) {
        List<String> tokens = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                tokens.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
        return tokens;
    }

    @Override
    public void close() {
        english.close();
        french.close();
        plain.close();
    }
}
