package io.surveycast.digest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.surveycast.audit.AuditLog;
import io.surveycast.campaign.YamlBatch;
import io.surveycast.campaign.YamlNode;
import io.surveycast.config.InvalidInputException;
import io.surveycast.config.OutgoingUrls;
import io.surveycast.config.YamlFiles;
import io.surveycast.sql.NamedSql;
import io.surveycast.sql.Params;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Digests as code: {@code apply} (every file checked first, nothing applied unless all are valid),
 * the list, a preview, a send now, and the scheduled sends: at any instant, each digest whose cron
 * fired in the last {@link #MAX_LATENESS} (and after it was applied) is queued in the notification
 * outbox once for its period, whichever node or scan finds it first.
 */
public final class Digests {
    private static final Logger LOG = LoggerFactory.getLogger(Digests.class);
    /** A firing found later than this is not sent (the next one will be): a digest of last week's figures a week late helps nobody. */
    static final Duration MAX_LATENESS = Duration.ofDays(1);
    private final DSLContext dsl;
    private final Clock clock;
    private final DigestYamlReader reader;
    private final DigestComposer composer;
    private final DigestMessages messages;
    private final DigestQueries queries = new DigestQueries();
    private final AuditLog audit;


    /** One digest as listed: its definition's fields, and its last period sent. */
    public record Summary(String name, String cron, String timezone, String period, String campaign,
                          Map<String, List<String>> attributes, List<String> to, String file, LocalDate lastPeriodEnd,
                          Instant lastSentAt) {
        public Map<String, Object> json() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("digest", name);
            o.put("cron", cron);
            o.put("timezone", timezone);
            o.put("period", period);
            Map<String, Object> filter = new LinkedHashMap<>();
            if (campaign != null) {
                filter.put("campaign", campaign);
            }
            if (!attributes.isEmpty()) {
                filter.put("attributes", attributes);
            }
            o.put("filter", filter);
            o.put("to", to);
            o.put("file", file);
            o.put("last_period_end", lastPeriodEnd == null ? null : lastPeriodEnd.toString());
            o.put("last_sent_at", lastSentAt == null ? null : lastSentAt.toString());
            return o;
        }
    }

    /** There is no digest with that name. */
    public static final class NoSuchDigest extends InvalidInputException {
        NoSuchDigest(String name) {
            super("digest " + name + ": no such digest");
        }
    }

    /** The digests of this database, figures from {@code reports}, links to {@code SURVEYCAST_PUBLIC_URL}. */
    public static Digests of(io.surveycast.config.Settings settings, DSLContext dsl, Clock clock,
                             io.surveycast.report.Reports reports, io.surveycast.channel.TemplateStore templates) {
        return new Digests(dsl, clock, reports, io.surveycast.followup.Cases.of(dsl, clock, List.of(), templates,
                settings.publicUrl()), templates, OutgoingUrls.fromSettings(settings), settings.publicUrl());
    }

    public Digests(DSLContext dsl, Clock clock, io.surveycast.report.Reports reports, io.surveycast.followup.Cases cases,
                   io.surveycast.channel.TemplateStore templates, OutgoingUrls outgoing, String publicUrl) {
        this.dsl = dsl;
        this.clock = clock;
        this.reader = new DigestYamlReader(outgoing);
        this.composer = new DigestComposer(dsl, reports, cases, publicUrl);
        this.messages = new DigestMessages(templates);
        this.audit = new AuditLog(clock);
    }

    /**
     * @param paths files, or directories whose {@code *.yaml} / {@code *.yml} files are read
     * @throws InvalidInputException listing every error as {@code FILE:LINE: FIELD: reason}; nothing is applied then
     */
    public List<YamlBatch.Outcome> apply(List<Path> paths, boolean dryRun, String actor) {
        List<Path> files = YamlFiles.expandAll(paths, "digest");
        YamlBatch<DigestYamlReader.Parsed> batch = new YamlBatch<>("digest", "digest", p -> p.definition().name(),
                DigestYamlReader.Parsed::file, DigestYamlReader.Parsed::line);
        for (Path file : files) {
            YamlNode.Errors fileErrors = new YamlNode.Errors(file.toString(), "digest");
            List<DigestYamlReader.Parsed> fromFile;
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                fromFile = reader.read(file.toString(), in, fileErrors, this::campaignExists);
            } catch (IOException e) {
                fileErrors.add(1, "file", "cannot read: " + e.getMessage());
                fromFile = List.of();
            }
            batch.add(fileErrors, fromFile);
        }
        List<DigestYamlReader.Parsed> parsed = batch.checked((lines, problems) -> new InvalidInputException(lines));
        Instant now = clock.instant();
        return YamlBatch.writeAll(dsl, parsed, (tx, p) -> applyOne(tx, p, now, dryRun, actor));
    }

    private YamlBatch.Outcome applyOne(DSLContext tx, DigestYamlReader.Parsed p, Instant now, boolean dryRun, String actor)
            throws JsonProcessingException {
        DigestDefinition d = p.definition();
        YamlBatch.Stored stored = YamlBatch.Stored.of(DigestMessages.JSON, d);
        String action = stored.action(queries.find(tx, d.name()).map(existing -> existing.hash()).orElse(null));
        if (!dryRun) {
            switch (action) {
                case "created" -> queries.insert(tx, d.name(), stored.json(), stored.hash(), p.file(), now);
                case "updated" -> queries.update(tx, d.name(), stored.json(), stored.hash(), p.file(), now);
                default -> {
                }
            }
            if (!action.equals("unchanged")) {
                audit.record(tx, actor, "digest." + action, "digest", d.name(), stored.audited(DigestMessages.JSON, p.file()));
            }
        }
        return new YamlBatch.Outcome(action, d.name());
    }

    private boolean campaignExists(String key) {
        return Boolean.TRUE.equals(NamedSql.of("digest").get("campaign-exists").query(dsl, new Params().value("key", key))
                .fetchSingle().get("found", Boolean.class));
    }

    public List<Summary> list() {
        return queries.all(dsl).stream().map(l -> {
            DigestDefinition d = read(l.definition());
            return new Summary(d.name(), d.cron(), d.timezone(), d.period(), d.campaign(), d.attributes(), d.to(), l.file(),
                    l.lastPeriodEnd(), l.lastSentAt());
        }).toList();
    }

    /** The text version of the digest for the period ending today (UTC), as {@code digests send} would send it. */
    public String preview(String name) {
        DigestDefinition d = definition(name);
        Instant now = clock.instant();
        return messages.text(composer.compose(d, DigestPeriod.endingAt(now, d.length()), now));
    }

    /**
     * Queues the digest for the period ending today (UTC) to every recipient now, whether or not a
     * scheduled send covered it; returns the recipients queued.
     */
    public int sendNow(String name) {
        DigestDefinition d = definition(name);
        Instant now = clock.instant();
        DigestPeriod period = DigestPeriod.endingAt(now, d.length());
        DigestContent content = composer.compose(d, period, now);
        dsl.transaction(configuration -> {
            DSLContext tx = configuration.dsl();
            queries.insertManual(tx, d.name(), period, d.to().size(), now);
            queue(tx, d, content, now);
        });
        return d.to().size();
    }

    /** The scheduled digests due at the clock's instant: the due-scan route's last step (void: the route's body stays the scan's counts). */
    public void queueDueNow() {
        queueDue(clock.instant());
    }

    /**
     * Queues every digest whose cron fired within {@link #MAX_LATENESS} before {@code at} (and after
     * it was applied) and was not queued for that period yet; returns how many were queued. The
     * period's row in digest_run and its outbox rows are written in one transaction, so a digest is
     * queued once per period even when several nodes look at the same instant.
     */
    public int queueDue(Instant at) {
        int queued = 0;
        for (DigestQueries.Listed listed : queries.all(dsl)) {
            DigestDefinition d = read(listed.definition());
            Instant since = at.minus(MAX_LATENESS);
            Instant applied = queries.find(dsl, d.name()).map(DigestQueries.Stored::createdAt).orElse(at);
            Instant fired = d.lastFiring(applied.isAfter(since) ? applied : since, at);
            if (fired == null) {
                continue;
            }
            DigestPeriod period = DigestPeriod.endingAt(fired, d.length());
            if (period.endExclusive().equals(listed.lastPeriodEnd())) {
                continue; // the usual case at every scan after the send: no insert attempted
            }
            try {
                boolean sent = dsl.transactionResult(configuration -> {
                    DSLContext tx = configuration.dsl();
                    if (!queries.claimScheduled(tx, d.name(), period, fired, d.to().size(), at)) {
                        return false;
                    }
                    queue(tx, d, composer.compose(d, period, at), at);
                    return true;
                });
                if (sent) {
                    queued++;
                    LOG.info("digest {} for {} queued to {} recipients", d.name(), DigestMessages.period(period), d.to().size());
                }
            } catch (RuntimeException e) {
                // nothing was written: the next scan tries again (within MAX_LATENESS)
                LOG.warn("digest {} for {} not queued, tried again at the next scan: {}", d.name(),
                        DigestMessages.period(period), e.toString());
            }
        }
        return queued;
    }

    private void queue(DSLContext tx, DigestDefinition d, DigestContent content, Instant now) throws JsonProcessingException {
        String email = null;
        if (!d.emails().isEmpty()) {
            var payload = DigestMessages.JSON.createObjectNode();
            payload.put("subject", messages.subject(content));
            payload.put("text", messages.text(content));
            payload.put("html", messages.html(content));
            email = payload.toString();
        }
        String slack = d.webhooks().isEmpty() ? null : messages.slack(content);
        for (String recipient : d.to()) {
            if (DigestDefinition.isUrl(recipient)) {
                queries.queue(tx, "webhook", recipient, slack, now);
            } else {
                queries.queue(tx, "email", recipient, email, now);
            }
        }
    }

    private DigestDefinition definition(String name) {
        return queries.find(dsl, name).map(s -> read(s.definition())).orElseThrow(() -> new NoSuchDigest(name));
    }

    private static DigestDefinition read(String json) {
        try {
            return DigestMessages.JSON.readValue(json, DigestDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored digest is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
