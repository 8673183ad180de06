package io.surveycast.campaign;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML node with its dotted path and line, for reading campaign files (and the other YAML
 * applied as code: digests) field by field and reporting every problem as {@code FILE:LINE: FIELD: reason}.
 */
public final class YamlNode {
    /** The longest single value (a question, a name, a URL) a campaign may hold. */
    static final int MAX_TEXT = 2000;
    private final Node node;
    private final String path;
    private final Errors errors;

    /** Collects the errors of one apply: every file is read in full before anything is reported. */
    public static final class Errors {
        private final List<Line> lines = new ArrayList<>();
        private final String file;
        private final String root;

        private record Line(int line, String field, String reason, String text) {
        }

        Errors(String file) {
            this(file, "campaign");
        }

        /** @param root the field named by an error about a whole document (e.g. {@code digest}) */
        public Errors(String file, String root) {
            this.file = file;
            this.root = root;
        }

        public void add(int line, String field, String reason) {
            lines.add(new Line(line, field, reason, file + ":" + line + ": " + field + ": " + reason));
        }

        /** The errors in line order. */
        public List<String> lines() {
            return lines.stream().sorted(java.util.Comparator.comparingInt(Line::line)).map(Line::text).toList();
        }

        /** The errors in line order, as problems. */
        List<Campaigns.Problem> problems() {
            return lines.stream().sorted(java.util.Comparator.comparingInt(Line::line))
                    .map(l -> new Campaigns.Problem(file, l.line(), l.field(), l.reason())).toList();
        }

        public int count() {
            return lines.size();
        }

        String file() {
            return file;
        }
    }

    public YamlNode(Node node, String path, Errors errors) {
        this.node = node;
        this.path = path;
        this.errors = errors;
    }

    public int line() {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    public String path() {
        return path;
    }

    public void error(String reason) {
        errors.add(line(), path.isEmpty() ? errors.root : path, reason);
    }

    /** An error about a child field of this node (one that is missing), at this node's line. */
    public void errorAt(String childPath, String reason) {
        errors.add(line(), childPath, reason);
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL);
    }

    /** The entries of a mapping by key, reporting duplicate and unknown keys. */
    public Map<String, YamlNode> entries(List<String> allowedKeys) {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        if (!(node instanceof MappingNode mapping)) {
            error("expected a mapping of fields");
            return entries;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            YamlNode key = new YamlNode(tuple.getKeyNode(), path, errors);
            if (!(tuple.getKeyNode() instanceof ScalarNode scalar)) {
                key.error("expected a field name");
                continue;
            }
            String name = scalar.getValue();
            String childPath = path.isEmpty() ? name : path + "." + name;
            if (entries.containsKey(name)) {
                errors.add(key.line(), childPath, "appears twice");
                continue;
            }
            if (allowedKeys != null && !allowedKeys.contains(name)) {
                errors.add(key.line(), childPath, "unknown field (expected one of " + String.join(", ", allowedKeys) + ")");
                continue;
            }
            entries.put(name, new YamlNode(tuple.getValueNode(), childPath, errors));
        }
        return entries;
    }

    public List<YamlNode> items() {
        List<YamlNode> items = new ArrayList<>();
        if (node instanceof SequenceNode sequence) {
            List<Node> values = sequence.getValue();
            for (int i = 0; i < values.size(); i++) {
                items.add(new YamlNode(values.get(i), path + "[" + (i + 1) + "]", errors));
            }
        } else {
            error("expected a list");
        }
        return items;
    }

    /** The scalar text, or empty (with an error) when this is not a non-empty scalar. */
    public Optional<String> text() {
        if (node instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL) && !scalar.getValue().isBlank()) {
            String value = scalar.getValue().trim();
            String unstorable = io.surveycast.config.StorableText.problem(value);
            if (unstorable != null || value.length() > MAX_TEXT) {
                error(unstorable != null ? unstorable : "longer than " + MAX_TEXT + " characters");
                return Optional.empty();
            }
            return Optional.of(value);
        }
        error(isList() || isMap() ? "expected a single value" : "must not be empty");
        return Optional.empty();
    }

    /** A scalar, or each scalar of a list: {@code x} and {@code [x, y]} both read as a list. */
    public List<String> texts() {
        if (isList()) {
            List<String> values = new ArrayList<>();
            for (YamlNode item : items()) {
                item.text().ifPresent(values::add);
            }
            if (values.isEmpty()) {
                error("must not be empty");
            }
            return values;
        }
        return text().map(List::of).orElse(List.of());
    }
}
