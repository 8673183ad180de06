package io.surveycast.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.config.InvalidInputException;
import io.surveycast.config.Sha256;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.jooq.DSLContext;

/**
 * Definitions kept as YAML (campaigns, digests) applied all or nothing: every file is read and
 * checked first (a file holding none and a key defined twice are errors too), at most
 * {@link YamlLimits#MAX_ERRORS} errors are reported, and only with none is anything written, every
 * definition in one transaction ({@link #writeAll}, which themes share).
 * @param <P> a definition as read, with its file and line
 */
public final class YamlBatch<P> {
    private final String kind;
    private final String keyField;
    private final Function<P, String> key;
    private final Function<P, String> file;
    private final ToIntFunction<P> line;
    private final List<P> parsed = new ArrayList<>();
    private final Map<String, P> byKey = new HashMap<>();
    private List<String> errors = new ArrayList<>();
    private List<Campaigns.Problem> problems = new ArrayList<>();
    private String last;

    /** What apply did to one definition: created, updated or unchanged. */
    public record Outcome(String action, String key) {
        public String line() {
            return action + " " + key;
        }
    }

    /** A definition as stored: its JSON, and the hash of it that tells whether it changed. */
    public record Stored(String json, String hash) {
        public static Stored of(ObjectMapper mapper, Object definition) throws JsonProcessingException {
            String json = mapper.writeValueAsString(definition);
            return new Stored(json, Sha256.hex(json));
        }

        /** created, unchanged or updated, against the hash stored before (null when there is none). */
        public String action(String storedHash) {
            return storedHash == null ? "created" : storedHash.equals(hash) ? "unchanged" : "updated";
        }

        /** The audit entry's details: the file, and the definition as stored. */
        public Map<String, Object> audited(ObjectMapper mapper, String file) throws JsonProcessingException {
            return Map.of("file", file, "definition", mapper.readTree(json));
        }
    }

    /** Writes one definition in the transaction of an apply and says what it did. */
    public interface Step<P, O> {
        O write(DSLContext tx, P definition) throws Exception;
    }

    /** What follows in the same transaction once every definition is written. */
    public interface After<O> {
        void run(DSLContext tx, List<O> outcomes);
    }

    /**
     * @param kind what a definition is ({@code digest}): the field and the word of "the file holds no digest"
     * @param keyField the field named when a key is defined twice
     */
    public YamlBatch(String kind, String keyField, Function<P, String> key, Function<P, String> file, ToIntFunction<P> line) {
        this.kind = kind;
        this.keyField = keyField;
        this.key = key;
        this.file = file;
        this.line = line;
    }

    /** Adds one file's (or text's) definitions and errors: those of reading it, and its own. */
    public void add(YamlNode.Errors fileErrors, List<P> fromFile) {
        if (fromFile.isEmpty() && fileErrors.count() == 0) {
            fileErrors.add(1, kind, "the file holds no " + kind);
        }
        for (P p : fromFile) {
            P earlier = byKey.putIfAbsent(key.apply(p), p);
            if (earlier != null) {
                fileErrors.add(line.applyAsInt(p), keyField, kind + " " + key.apply(p) + " is also defined in "
                        + file.apply(earlier) + ":" + line.applyAsInt(earlier));
            }
        }
        errors.addAll(fileErrors.lines());
        problems.addAll(fileErrors.problems());
        parsed.addAll(fromFile);
        last = fileErrors.file();
    }

    /**
     * The definitions of every file added, when none had an error.
     * @throws InvalidInputException made by {@code invalid} from the error lines and the same as problems
     */
    public List<P> checked(BiFunction<List<String>, List<Campaigns.Problem>, ? extends InvalidInputException> invalid) {
        if (errors.size() > YamlLimits.MAX_ERRORS) {
            // a file of 95,000 empty documents made a 27 MB answer: the first errors are enough to act on
            int more = errors.size() - YamlLimits.MAX_ERRORS;
            errors = new ArrayList<>(errors.subList(0, YamlLimits.MAX_ERRORS));
            problems = new ArrayList<>(problems.subList(0, YamlLimits.MAX_ERRORS));
            errors.add(last + ": " + more + " more errors not shown");
            problems.add(new Campaigns.Problem(last, 0, "errors", more + " more errors not shown"));
        }
        if (!errors.isEmpty()) {
            throw invalid.apply(errors, problems);
        }
        return parsed;
    }

    /** Writes every definition in one transaction; the outcomes in order. */
    public static <P, O> List<O> writeAll(DSLContext dsl, List<P> definitions, Step<? super P, O> step) {
        return writeAll(dsl, definitions, step, (tx, outcomes) -> {
        });
    }

    /** Writes every definition in one transaction, then {@code after} in it; the outcomes in order. */
    public static <P, O> List<O> writeAll(DSLContext dsl, List<P> definitions, Step<? super P, O> step, After<O> after) {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            List<O> outcomes = new ArrayList<>();
            for (P p : definitions) {
                outcomes.add(step.write(tx, p));
            }
            after.run(tx, outcomes);
            return outcomes;
        });
    }
}
