package io.surveycast.theme;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.audit.AuditLog;
import io.surveycast.campaign.YamlBatch;
import io.surveycast.config.InvalidInputException;
import io.surveycast.config.YamlFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;

/**
 * Themes as code: {@code apply} checks every file first and changes nothing unless all are valid,
 * then creates or updates each theme and queues every comment for re-tagging, in one transaction;
 * the default set is put in place when there is no theme at all; manual tags.
 */
public final class Themes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DSLContext dsl;
    private final Clock clock;
    private final ThemeQueries queries = new ThemeQueries();
    private final AuditLog audit;


    /** A theme as {@code themes list} shows it. */
    public record Summary(String key, String label, Map<String, Integer> keywords, int examples, String file) {
    }

    public Themes(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
        this.audit = new AuditLog(clock);
    }

    /**
     * @param paths files, or directories whose {@code *.yaml} / {@code *.yml} files are read
     * @throws InvalidInputException every error as {@code FILE:LINE: FIELD: reason}; nothing applied then
     */
    public List<YamlBatch.Outcome> apply(List<Path> paths, boolean dryRun, String actor) {
        List<Path> files = YamlFiles.expandAll(paths, "theme");
        var errors = new ThemeYamlReader.Errors();
        List<ThemeYamlReader.Parsed> parsed = new ArrayList<>();
        try (Stems stems = new Stems()) {
            var reader = new ThemeYamlReader(stems);
            for (Path file : files) {
                int before = errors.count();
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    List<ThemeYamlReader.Parsed> fromFile = reader.read(file.toString(), in, errors);
                    if (fromFile.isEmpty() && errors.count() == before) {
                        errors.add(file.toString(), 1, "theme", "the file holds no theme");
                    }
                    parsed.addAll(fromFile);
                } catch (IOException | UncheckedIOException e) {
                    errors.add(file.toString(), 1, "file", "cannot read: " + e.getMessage());
                }
            }
        }
        return applyAll(parsed, errors, dryRun, actor);
    }

    /** Puts the packaged default themes in place when there is no theme yet; returns how many were created. */
    public int ensureDefaults(String actor) {
        if (!queries.none(dsl)) {
            return 0;
        }
        List<ThemeYamlReader.Parsed> defaults;
        try (Stems stems = new Stems()) {
            defaults = DefaultThemes.read(stems);
        }
        // two processes starting at once: the second finds the first's themes and changes nothing
        return (int) applyAll(defaults, new ThemeYamlReader.Errors(), false, actor).stream()
                .filter(o -> o.action().equals("created")).count();
    }

    private List<YamlBatch.Outcome> applyAll(List<ThemeYamlReader.Parsed> parsed, ThemeYamlReader.Errors errors, boolean dryRun,
                                   String actor) {
        Map<String, ThemeYamlReader.Parsed> byKey = new HashMap<>();
        for (var p : parsed) {
            var earlier = byKey.putIfAbsent(p.definition().key(), p);
            if (earlier != null) {
                errors.add(p.file(), p.line(), "key", "theme " + p.definition().key() + " is also defined in "
                        + earlier.file() + ":" + earlier.line());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors.lines());
        }
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return YamlBatch.writeAll(dsl, parsed, (tx, p) -> applyOne(tx, p, now, dryRun, actor), (tx, outcomes) -> {
            if (!dryRun && outcomes.stream().anyMatch(o -> !o.action().equals("unchanged"))) {
                queries.queueAll(tx, null);
            }
        });
    }

    private YamlBatch.Outcome applyOne(DSLContext tx, ThemeYamlReader.Parsed p, OffsetDateTime now, boolean dryRun, String actor)
            throws JsonProcessingException {
        ThemeDefinition d = p.definition();
        YamlBatch.Stored stored = YamlBatch.Stored.of(JSON, d);
        String action = stored.action(queries.find(tx, d.key()).map(existing -> existing.getDefinitionHash()).orElse(null));
        if (!dryRun && !action.equals("unchanged")) {
            queries.upsert(tx, d.key(), d.label(), stored.json(), stored.hash(), p.file(), now);
            audit.record(tx, actor, "theme." + action, "theme", d.key(), stored.audited(JSON, p.file()));
        }
        return new YamlBatch.Outcome(action, d.key());
    }

    public List<Summary> list() {
        return queries.all(dsl).stream().map(r -> {
            JsonNode definition = readTree(r.getDefinition().data());
            Map<String, Integer> keywords = new java.util.TreeMap<>();
            definition.path("keywords").properties().forEach(e -> keywords.put(e.getKey(), e.getValue().size()));
            return new Summary(r.getKey(), r.getLabel(), keywords, definition.path("examples").size(), r.getSourceFile());
        }).toList();
    }

    /**
     * Queues the comments received since {@code since} (every comment when null) for re-tagging.
     * @return how many were queued
     */
    public int queueRetag(LocalDate since, String actor) {
        OffsetDateTime from = since == null ? null : since.atStartOfDay().atOffset(ZoneOffset.UTC);
        return dsl.transactionResult(configuration -> {
            int queued = queries.queueAll(configuration.dsl(), from);
            audit.record(configuration.dsl(), actor, "theme.retag", "theme", null,
                    since == null ? Map.of("queued", queued) : Map.of("since", since.toString(), "queued", queued));
            return queued;
        });
    }

    /** How many comments wait to be tagged. */
    public int queued() {
        return queries.queued(dsl);
    }

    /**
     * Sets a response's themes by hand: they are kept through re-tagging, and so is the removal of
     * every other theme.
     * @throws InvalidInputException for an unknown theme ({@link NoSuchResponse} for an unknown response)
     */
    public void setManual(long responseId, List<String> keys, String actor) {
        Set<String> themes = new LinkedHashSet<>(keys);
        dsl.transaction(configuration -> {
            DSLContext tx = configuration.dsl();
            if (!queries.responseExists(tx, responseId)) {
                throw new NoSuchResponse(responseId);
            }
            List<String> unknown = themes.stream().filter(k -> queries.find(tx, k).isEmpty()).toList();
            if (!unknown.isEmpty()) {
                throw new InvalidInputException("themes: unknown theme " + String.join(", ", unknown));
            }
            var before = queries.themesOf(tx, responseId).stream().map(r -> r.value1()).toList();
            queries.setManual(tx, responseId, themes);
            audit.record(tx, actor, "response.themes", "response", Long.toString(responseId),
                    Map.of("before", before, "after", List.copyOf(themes)));
        });
    }

    /** {@link #setManual} on a response that does not exist. */
    public static final class NoSuchResponse extends InvalidInputException {
        NoSuchResponse(long responseId) {
            super("response " + responseId + ": no such response");
        }
    }

    /** Every theme key, in key order. */
    public List<String> keys() {
        return queries.all(dsl).stream().map(r -> r.getKey()).toList();
    }

    /** The response's theme keys, in key order. */
    public List<String> keysOf(long responseId) {
        return queries.themesOf(dsl, responseId).stream().map(r -> r.value1()).toList();
    }

    /** The response's themes, each as {@code KEY (source)}. */
    public List<String> themesOf(long responseId) {
        return queries.themesOf(dsl, responseId).stream().map(r -> r.value1() + " (" + r.value2() + ")").toList();
    }


    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
