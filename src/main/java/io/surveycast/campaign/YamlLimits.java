package io.surveycast.campaign;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;

/**
 * Bounds on campaign YAML (files and the API body), checked on the parser's event stream before
 * the document tree is built: the tree is built recursively, so 10,000 nested brackets overflowed
 * the stack (an uncaught StackOverflowError in the CLI, a 500 in the API). snakeyaml-engine has
 * limits for size and aliases but none for depth, hence the count here.
 */
public final class YamlLimits {
    /** Characters of one YAML text; the API's body limit (1 MiB) is about the same. */
    public static final int MAX_CHARS = 1 << 20;
    /** A campaign is at most four levels deep; this leaves room for flow style and mistakes alike. */
    static final int MAX_DEPTH = 20;
    static final int MAX_DOCUMENTS = 1000;
    static final int MAX_ALIASES = 50;
    /** At most this many errors are reported for one apply, then how many more there were. */
    public static final int MAX_ERRORS = 100;

    private YamlLimits() {
    }

    public static LoadSettings settings(String label) {
        return LoadSettings.builder().setLabel(label).setCodePointLimit(MAX_CHARS)
                .setMaxAliasesForCollections(MAX_ALIASES).setAllowRecursiveKeys(false).build();
    }

    /** Where a problem of a YAML text goes: its line, the field and the reason. */
    public interface Problems {
        void add(int line, String field, String reason);
    }

    /** False (with the error added) when {@code text} nests too deep or holds too many documents. */
    public static boolean withinLimits(LoadSettings settings, String text, YamlNode.Errors errors) {
        return withinLimits(settings, text, MAX_DEPTH, "campaigns", errors::add);
    }

    /**
     * False (with the problem added) when {@code text} nests deeper than {@code maxDepth} or holds
     * too many documents.
     * @param what what the documents hold, for the error ("split the themes into files")
     */
    public static boolean withinLimits(LoadSettings settings, String text, int maxDepth, String what, Problems problems) {
        int depth = 0;
        int documents = 0;
        for (Event event : new Parse(settings).parseString(text)) {
            int line = event.getStartMark().map(m -> m.getLine() + 1).orElse(1);
            switch (event.getEventId()) {
                case MappingStart, SequenceStart -> {
                    if (++depth > maxDepth) {
                        problems.add(line, "yaml", "nested deeper than " + maxDepth + " levels");
                        return false;
                    }
                }
                case MappingEnd, SequenceEnd -> depth--;
                case DocumentStart -> {
                    if (++documents > MAX_DOCUMENTS) {
                        problems.add(line, "yaml", "more than " + MAX_DOCUMENTS + " documents; split the " + what + " into files");
                        return false;
                    }
                }
                default -> {
                }
            }
        }
        return true;
    }

    /** At most {@code max} characters of {@code reader}: one more than a limit tells a text over it. */
    public static String readAtMost(Reader reader, int max) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        for (int n; text.length() < max && (n = reader.read(buffer, 0, Math.min(buffer.length, max - text.length()))) > 0; ) {
            text.append(buffer, 0, n);
        }
        return text.toString();
    }

    /**
     * The documents of a YAML text within these bounds, or none with the problem in {@code errors}
     * (too large, too deep, not YAML, not UTF-8) at its line: for YAML applied as code besides campaigns.
     * @param what what the text holds, for the size error ("split the digests into files")
     */
    public static List<Node> documents(String label, Reader reader, YamlNode.Errors errors, String what) {
        List<Node> documents = new ArrayList<>();
        try {
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[8192];
            for (int n; text.length() <= MAX_CHARS && (n = reader.read(buffer)) > 0; ) {
                text.append(buffer, 0, n);
            }
            if (text.length() > MAX_CHARS) {
                errors.add(1, "yaml", "larger than " + MAX_CHARS + " characters; split the " + what + " into files");
                return documents;
            }
            LoadSettings settings = settings(label);
            if (withinLimits(settings, text.toString(), errors)) {
                new Compose(settings).composeAllFromString(text.toString()).forEach(documents::add);
            }
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(1);
            errors.add(line, "yaml", e.getProblem() == null ? "not valid YAML" : e.getProblem());
            documents.clear();
        } catch (YamlEngineException e) {
            errors.add(1, "yaml", e.getMessage());
            documents.clear();
        } catch (java.nio.charset.CharacterCodingException e) {
            errors.add(1, "file", "not valid UTF-8 text");
        } catch (IOException e) {
            errors.add(1, "file", "cannot read: " + e.getMessage());
        }
        return documents;
    }
}
