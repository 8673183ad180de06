package io.surveycast.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.audit.AuditLog;
import io.surveycast.channel.TemplateStore;
import io.surveycast.config.InvalidInputException;
import io.surveycast.config.YamlFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * Campaigns as code: {@code apply} validates every file first and changes nothing unless all
 * are valid, then creates or updates each campaign in one transaction; pause and resume.
 */
public final class Campaigns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DSLContext dsl;
    private final Clock clock;
    private final CampaignYamlReader reader;
    private final CampaignQueries queries = new CampaignQueries();
    private final AuditLog audit;


    /** One error of an apply: the file (or {@code body}) and line it is on, the field and why. */
    public record Problem(String file, int line, String field, String reason) {
    }

    /** An apply refused: every error, in file and line order; nothing was applied. */
    public static final class Invalid extends InvalidInputException {
        private final transient List<Problem> problems;

        Invalid(List<String> lines, List<Problem> problems) {
            super(lines);
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    /** There is no campaign with that key. */
    public static final class NoSuchCampaign extends InvalidInputException {
        NoSuchCampaign(String key) {
            super("campaign " + key + ": no such campaign");
        }
    }

    public Campaigns(DSLContext dsl, Clock clock, TemplateStore templates, FatiguePolicy policy) {
        this(dsl, clock, templates, policy, io.surveycast.config.OutgoingUrls.publicOnly());
    }

    /** @param outgoing which alert webhook URLs are allowed (public addresses unless configured otherwise) */
    public Campaigns(DSLContext dsl, Clock clock, TemplateStore templates, FatiguePolicy policy,
                     io.surveycast.config.OutgoingUrls outgoing) {
        this.dsl = dsl;
        this.clock = clock;
        this.reader = new CampaignYamlReader(templates, policy, outgoing);
        this.audit = new AuditLog(clock);
    }

    /**
     * @param paths files, or directories whose {@code *.yaml} / {@code *.yml} files are read
     * @throws InvalidInputException listing every error as {@code FILE:LINE: FIELD: reason}; nothing is applied then
     */
    public List<YamlBatch.Outcome> apply(List<Path> paths, boolean dryRun, String actor) {
        List<Path> files = YamlFiles.expandAll(paths, "campaign");
        return applyAll(files.stream().<Source>map(file -> errs -> reader.read(file, errs))
                .toList(), files.stream().map(Path::toString).toList(), dryRun, actor);
    }

    /**
     * Applies the campaigns of one YAML text (one or more documents), all or nothing, as {@link #apply} does for files.
     * @param label names the text in errors, e.g. {@code body}
     * @throws Invalid listing every error; nothing is applied then
     */
    public List<YamlBatch.Outcome> apply(String label, String yaml, boolean dryRun, String actor) {
        return applyAll(List.of(errs -> reader.read(label, new java.io.StringReader(yaml), errs)), List.of(label),
                dryRun, actor);
    }

    private interface Source {
        List<CampaignYamlReader.Parsed> read(YamlNode.Errors errors);
    }

    private List<YamlBatch.Outcome> applyAll(List<Source> sources, List<String> labels, boolean dryRun, String actor) {
        YamlBatch<CampaignYamlReader.Parsed> batch = new YamlBatch<>("campaign", "key", p -> p.definition().key(),
                CampaignYamlReader.Parsed::file, CampaignYamlReader.Parsed::line);
        for (int i = 0; i < sources.size(); i++) {
            YamlNode.Errors fileErrors = new YamlNode.Errors(labels.get(i));
            batch.add(fileErrors, sources.get(i).read(fileErrors));
        }
        List<CampaignYamlReader.Parsed> parsed = batch.checked(Invalid::new);
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return YamlBatch.writeAll(dsl, parsed, (tx, p) -> applyOne(tx, p, now, dryRun, actor));
    }

    private YamlBatch.Outcome applyOne(DSLContext tx, CampaignYamlReader.Parsed p, OffsetDateTime now, boolean dryRun, String actor)
            throws JsonProcessingException {
        CampaignDefinition d = p.definition();
        YamlBatch.Stored stored = YamlBatch.Stored.of(JSON, d);
        String json = stored.json();
        String hash = stored.hash();
        var existing = queries.find(tx, d.key());
        String action;
        if (existing.isEmpty()) {
            action = "created";
            if (!dryRun) {
                queries.insert(tx, d, d.status() == null ? "active" : d.status(), json, hash, p.file(), now);
            }
        } else {
            String status = d.status() == null ? existing.get().getStatus() : d.status();
            boolean same = existing.get().getDefinitionHash().equals(hash) && status.equals(existing.get().getStatus());
            action = same ? "unchanged" : "updated";
            if (!same && !dryRun) {
                queries.update(tx, d, status, json, hash, p.file(), now);
            }
        }
        if (!dryRun && !action.equals("unchanged")) {
            audit.record(tx, actor, "campaign." + action, "campaign", d.key(), stored.audited(JSON, p.file()));
        }
        return new YamlBatch.Outcome(action, d.key());
    }

    public List<CampaignSummary> list() {
        return queries.all(dsl).stream().map(r -> new CampaignSummary(r.getKey(), r.getName(), r.getStatus(),
                r.getTriggerType(), CampaignDefinition.stored(r.getDefinition().data()).channels(), r.getPriority())).toList();
    }

    /**
     * Sets a campaign's status (active, paused, archived).
     * @return false when it already had that status
     * @throws InvalidInputException when there is no such campaign
     */
    public boolean setStatus(String key, String status, String actor) {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            var existing = queries.find(tx, key)
                    .orElseThrow(() -> new NoSuchCampaign(key));
            if (existing.getStatus().equals(status)) {
                return false;
            }
            queries.setStatus(tx, key, status, clock.instant().atOffset(ZoneOffset.UTC));
            audit.record(tx, actor, "campaign." + status, "campaign", key, Map.of("was", existing.getStatus()));
            return true;
        });
    }

}
