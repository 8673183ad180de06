package io.surveycast.campaign;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;

/**
 * Bounds on campaign YAML (files and the API body), checked on the parser's event stream before
 * the document tree is built: the tree is built recursively, so 10,000 nested brackets overflowed
 * the stack (an uncaught StackOverflowError in the CLI, a 500 in the API). snakeyaml-engine has
 * limits for size and aliases but none for depth, hence the count here.
 */
final class YamlLimits {
    /** Characters of one YAML text; the API's body limit (1 MiB) is about the same. */
    static final int MAX_CHARS = 1 << 20;
    /** A campaign is at most four levels deep; this leaves room for flow style and mistakes alike. */
    static final int MAX_DEPTH = 20;
    static final int MAX_DOCUMENTS = 1000;
    static final int MAX_ALIASES = 50;
    /** At most this many errors are reported for one apply, then how many more there were. */
    static final int MAX_ERRORS = 100;

    private YamlLimits() {
    }

    static LoadSettings settings(String label) {
        return LoadSettings.builder().setLabel(label).setCodePointLimit(MAX_CHARS)
                .setMaxAliasesForCollections(MAX_ALIASES).setAllowRecursiveKeys(false).build();
    }

    /** False (with the error added) when {@code text} nests too deep or holds too many documents. */
    static boolean withinLimits(LoadSettings settings, String text, YamlNode.Errors errors) {
        int depth = 0;
        int documents = 0;
        for (Event event : new Parse(settings).parseString(text)) {
            int line = event.getStartMark().map(m -> m.getLine() + 1).orElse(1);
            switch (event.getEventId()) {
                case MappingStart, SequenceStart -> {
                    if (++depth > MAX_DEPTH) {
                        errors.add(line, "yaml", "nested deeper than " + MAX_DEPTH + " levels");
                        return false;
                    }
                }
                case MappingEnd, SequenceEnd -> depth--;
                case DocumentStart -> {
                    if (++documents > MAX_DOCUMENTS) {
                        errors.add(line, "yaml", "more than " + MAX_DOCUMENTS + " documents; split the campaigns into files");
                        return false;
                    }
                }
                default -> {
                }
            }
        }
        return true;
    }
}
