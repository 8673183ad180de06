package io.surveycast.theme;

import io.surveycast.campaign.YamlLimits;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads theme YAML (one theme per document) and checks it field by field, collecting every
 * problem as {@code FILE:LINE: FIELD: reason}; a definition is returned only for a document
 * without any. Bounded like campaign YAML: 1 MiB, 10 levels, 1000 documents, 50 aliases.
 */
final class ThemeYamlReader {
    private static final int MAX_DEPTH = 10;
    private static final int MAX_DOCUMENTS = 1000;
    private static final int MAX_TEXT = 2000;
    private static final int MAX_ITEMS = 500;
    /** Phrases one keyword with {@code {a,b}} choices may stand for. */
    private static final int MAX_EXPANSIONS = 1000;
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*");
    private static final List<String> FIELDS = List.of("key", "label", "keywords", "examples");

    record Parsed(ThemeDefinition definition, String file, int line) {
    }

    /** The problems of one apply, in file and line order. */
    static final class Errors {
        private record Problem(String file, int line, String field, String reason) {
        }

        private final List<Problem> problems = new ArrayList<>();

        void add(String file, int line, String field, String reason) {
            problems.add(new Problem(file, line, field, reason));
        }

        boolean isEmpty() {
            return problems.isEmpty();
        }

        int count() {
            return problems.size();
        }

        /** In file order (as read), then line order. */
        List<String> lines() {
            List<String> files = problems.stream().map(Problem::file).distinct().toList();
            return problems.stream()
                    .sorted(java.util.Comparator.comparingInt((Problem p) -> files.indexOf(p.file())).thenComparingInt(Problem::line))
                    .map(p -> p.file() + ":" + p.line() + ": " + p.field() + ": " + p.reason()).toList();
        }
    }

    private final Stems stems;

    ThemeYamlReader(Stems stems) {
        this.stems = stems;
    }

    List<Parsed> read(String file, Reader reader, Errors errors) {
        List<Parsed> parsed = new ArrayList<>();
        try {
            String text = YamlLimits.readAtMost(reader, YamlLimits.MAX_CHARS + 1);
            if (text.length() > YamlLimits.MAX_CHARS) {
                errors.add(file, 1, "yaml", "larger than " + YamlLimits.MAX_CHARS + " characters; split the themes into files");
                return parsed;
            }
            LoadSettings settings = YamlLimits.settings(file);
            if (!YamlLimits.withinLimits(settings, text, MAX_DEPTH, "themes",
                    (line, field, reason) -> errors.add(file, line, field, reason))) {
                return parsed;
            }
            for (Node document : new Compose(settings).composeAllFromString(text)) {
                int before = errors.count();
                ThemeDefinition theme = theme(new Field(document, "", file, errors));
                if (errors.count() == before && theme != null) {
                    parsed.add(new Parsed(theme, file, line(document)));
                }
            }
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(1);
            errors.add(file, line, "yaml", e.getProblem() == null ? "not valid YAML" : e.getProblem());
        } catch (YamlEngineException e) {
            errors.add(file, 1, "yaml", e.getMessage());
        } catch (java.nio.charset.CharacterCodingException e) {
            errors.add(file, 1, "file", "not valid UTF-8 text");
        } catch (IOException e) {
            errors.add(file, 1, "file", "cannot read: " + e.getMessage());
        }
        return parsed;
    }

    private ThemeDefinition theme(Field root) {
        Map<String, Field> fields = root.entries(FIELDS);
        if (!(root.node instanceof MappingNode)) {
            return null;
        }
        String key = required(root, fields, "key").map(f -> f.text()).orElse(null);
        if (key != null && !KEY.matcher(key).matches()) {
            fields.get("key").error("use lower-case letters, digits and dashes (e.g. ease-of-use)");
        }
        String label = required(root, fields, "label").map(Field::text).orElse(null);
        Map<String, List<String>> keywords = new LinkedHashMap<>();
        Field keywordsField = fields.get("keywords");
        if (keywordsField != null) {
            for (var entry : keywordsField.entries(null).entrySet()) {
                String tag = languageTag(entry.getKey());
                Field value = entry.getValue();
                if (tag == null) {
                    value.error("not a language tag (e.g. en, fr, fr-CA)");
                    continue;
                }
                if (keywords.containsKey(tag)) {
                    value.error("the same language twice");
                    continue;
                }
                List<String> words = value.texts();
                for (String word : words) {
                    if (KeywordRules.expansions(word) > MAX_EXPANSIONS) {
                        value.error("keyword \"" + word + "\" stands for more than " + MAX_EXPANSIONS + " phrases");
                    } else if (KeywordRules.matchesNothing(word, tag, stems)) {
                        value.error("keyword \"" + word + "\" has no word in it");
                    }
                }
                keywords.put(tag, words);
            }
        }
        List<String> examples = fields.containsKey("examples") ? fields.get("examples").texts() : List.of();
        if (keywords.isEmpty() && examples.isEmpty() && key != null) {
            root.errorAt("keywords", "a theme needs keywords or examples, or both");
        }
        return key == null || label == null ? null : new ThemeDefinition(key, label, keywords, examples);
    }

    private static java.util.Optional<Field> required(Field root, Map<String, Field> fields, String name) {
        Field field = fields.get(name);
        if (field == null) {
            root.errorAt(name, "is required");
        }
        return java.util.Optional.ofNullable(field);
    }

    /** {@code fr}, {@code fr-CA} (and {@code fr_CA}), lower-case language; null when not a language tag. */
    private static String languageTag(String key) {
        if (!LANGUAGE.matcher(key).matches()) {
            return null;
        }
        try {
            Locale locale = new Locale.Builder().setLanguageTag(key.replace('_', '-')).build();
            return locale.getLanguage().isEmpty() ? null : locale.toLanguageTag();
        } catch (IllformedLocaleException e) {
            return null;
        }
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    /** A node with its dotted path, for errors. */
    private static final class Field {
        final Node node;
        final String path;
        final String file;
        final Errors errors;

        Field(Node node, String path, String file, Errors errors) {
            this.node = node;
            this.path = path;
            this.file = file;
            this.errors = errors;
        }

        void error(String reason) {
            errors.add(file, line(node), path.isEmpty() ? "theme" : path, reason);
        }

        void errorAt(String child, String reason) {
            errors.add(file, line(node), child, reason);
        }

        Map<String, Field> entries(List<String> allowed) {
            Map<String, Field> entries = new LinkedHashMap<>();
            if (!(node instanceof MappingNode mapping)) {
                error("expected a mapping of fields");
                return entries;
            }
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode scalar)) {
                    errors.add(file, line(tuple.getKeyNode()), path.isEmpty() ? "theme" : path, "expected a field name");
                    continue;
                }
                String name = scalar.getValue();
                String child = path.isEmpty() ? name : path + "." + name;
                if (entries.containsKey(name)) {
                    errors.add(file, line(scalar), child, "appears twice");
                } else if (allowed != null && !allowed.contains(name)) {
                    errors.add(file, line(scalar), child, "unknown field (expected one of " + String.join(", ", allowed) + ")");
                } else {
                    entries.put(name, new Field(tuple.getValueNode(), child, file, errors));
                }
            }
            return entries;
        }

        String text() {
            if (node instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL) && !scalar.getValue().isBlank()) {
                String value = scalar.getValue().strip();
                String unstorable = io.surveycast.config.StorableText.problem(value);
                if (unstorable != null || value.length() > MAX_TEXT) {
                    error(unstorable != null ? unstorable : "longer than " + MAX_TEXT + " characters");
                    return null;
                }
                return value;
            }
            error(node instanceof ScalarNode ? "must not be empty" : "expected a single value");
            return null;
        }

        /** A list of texts (a single text reads as a list of one). */
        List<String> texts() {
            List<String> values = new ArrayList<>();
            if (node instanceof SequenceNode sequence) {
                List<Node> items = sequence.getValue();
                if (items.size() > MAX_ITEMS) {
                    error("more than " + MAX_ITEMS + " items");
                    return values;
                }
                for (int i = 0; i < items.size(); i++) {
                    String value = new Field(items.get(i), path + "[" + (i + 1) + "]", file, errors).text();
                    if (value != null) {
                        values.add(value);
                    }
                }
                if (items.isEmpty()) {
                    error("must not be empty");
                }
            } else {
                String value = text();
                if (value != null) {
                    values.add(value);
                }
            }
            return values;
        }
    }
}
