package io.surveycast.response;

import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.audit.AuditLog;
import io.surveycast.config.InvalidInputException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Answers collected elsewhere (by phone, in person, by another tool), stored like any other answer:
 * a response on an offline invitation of its own (see V25__offline_answers.sql), through the
 * same insert as the survey page and SMS, so theme tagging, notifications (webhooks, detractor
 * alerts) and reports take them as they take every answer. An answer is identified by its contact,
 * campaign and time: the same one again is {@code unchanged}; a different score, comment or channel
 * for an answer already stored is refused (an imported answer is not rewritten behind anyone's back).
 */
public final class OfflineAnswers {
    /** The most answers one API request takes (a file has no limit). */
    public static final int MAX_BATCH = 1000;

    private final DSLContext dsl;
    private final Clock clock;
    private final ResponseNotices notices;
    private final AuditLog audit;
    private final OfflineAnswerQueries queries = new OfflineAnswerQueries();
    private final ResponseQueries responses = new ResponseQueries();

    public OfflineAnswers(DSLContext dsl, Clock clock, ResponseNotices notices) {
        this.dsl = dsl;
        this.clock = clock;
        this.notices = notices;
        this.audit = new AuditLog(clock);
    }

    /** What an import did (or, in a dry run, would do). */
    public record Summary(long imported, long unchanged, long rejected) {
        /** The one line scripts read. */
        public String line() {
            return "imported " + imported + ", unchanged " + unchanged + ", rejected " + rejected;
        }
    }

    /** A bad field of the answer at {@code index} of a batch. */
    public record Problem(Integer index, String field, String reason) {
        String line() {
            return (index == null ? "" : "responses[" + index + "]: ") + field + ": " + reason;
        }
    }

    /** A refused batch: every problem found; nothing was written. */
    public static final class Invalid extends InvalidInputException {
        private final transient List<Problem> problems;

        Invalid(List<Problem> problems) {
            super(problems.stream().map(Problem::line).toList());
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    /** One answer's fate: its response and {@code imported} or {@code unchanged}, or why it was refused. */
    record Stored(Long responseId, String status, List<OfflineAnswer.Problem> problems) {
        static Stored refused(List<OfflineAnswer.Problem> problems) {
            return new Stored(null, null, problems);
        }
    }

    /** What was done with each answer of a batch, in its order. */
    public record Done(long responseId, String status) {
    }

    /**
     * Imports a JSON array of answers (the CSV's fields), all or nothing.
     * @throws Invalid naming each bad answer by index and field; nothing is written then
     */
    public List<Done> importBatch(JsonNode array, String actor) {
        if (array == null || !array.isArray()) {
            throw new Invalid(List.of(new Problem(null, "body", "must be a JSON array of answers")));
        }
        if (array.size() > MAX_BATCH) {
            throw new Invalid(List.of(new Problem(null, "body",
                    "at most " + MAX_BATCH + " answers per request, found " + array.size())));
        }
        Instant now = clock.instant();
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            Batch batch = new Batch(tx, now);
            List<Done> done = new ArrayList<>();
            List<Problem> problems = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                int index = i;
                JsonNode item = array.get(i);
                List<OfflineAnswer.Problem> shape = shape(item);
                Stored stored = !shape.isEmpty() ? Stored.refused(shape) : batch.store(fields(item));
                if (stored.problems().isEmpty()) {
                    done.add(new Done(stored.responseId(), stored.status()));
                } else {
                    stored.problems().forEach(p -> problems.add(new Problem(index, p.field(), p.reason())));
                }
            }
            if (!problems.isEmpty()) {
                throw new Invalid(problems); // rolls the transaction back
            }
            audit.record(tx, actor, "responses.import", "response", null, Map.of(
                    "imported", done.stream().filter(d -> d.status().equals("imported")).count(),
                    "unchanged", done.stream().filter(d -> d.status().equals("unchanged")).count()));
            return done;
        });
    }

    /** What is wrong with an item's shape: not an object, or a field that is not a string, a number or null. */
    private static List<OfflineAnswer.Problem> shape(JsonNode item) {
        if (item == null || !item.isObject()) {
            return List.of(new OfflineAnswer.Problem("answer", "must be a JSON object"));
        }
        List<OfflineAnswer.Problem> problems = new ArrayList<>();
        item.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (!(v.isNull() || v.isTextual() || v.isNumber())) {
                problems.add(new OfflineAnswer.Problem(e.getKey(), "must be a string or a number, not " + v.getNodeType()
                        .name().toLowerCase(java.util.Locale.ROOT)));
            }
        });
        return problems;
    }

    /** An object item's fields as text (an unknown field is kept, for the check to refuse). */
    private static Map<String, String> fields(JsonNode item) {
        Map<String, String> fields = new LinkedHashMap<>();
        item.properties().forEach(e -> fields.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        return fields;
    }

    /** The answers of one transaction: contacts and campaigns looked up once each. */
    final class Batch {
        private final DSLContext tx;
        private final Instant now;
        private final Map<String, Optional<Long>> campaigns = new HashMap<>();
        private long imported;
        private long unchanged;

        Batch(DSLContext tx, Instant now) {
            this.tx = tx;
            this.now = now;
        }

        /** Checks and stores one answer (nothing is written for a refused one). */
        Stored store(Map<String, String> fields) {
            List<OfflineAnswer.Problem> problems = new ArrayList<>();
            fields.keySet().stream().filter(f -> !OfflineAnswer.FIELDS.contains(f)).forEach(f -> problems.add(
                    new OfflineAnswer.Problem(f, "unknown field (known: " + String.join(", ", OfflineAnswer.FIELDS) + ")")));
            OfflineAnswer.Checked checked = OfflineAnswer.check(fields, now);
            problems.addAll(checked.problems());
            if (!problems.isEmpty()) {
                return Stored.refused(problems);
            }
            OfflineAnswer a = checked.answer();
            Optional<Long> contact = queries.contactId(tx, a.externalId());
            Optional<Long> campaign = campaigns.computeIfAbsent(a.campaign(), key -> queries.campaignId(tx, key));
            if (contact.isEmpty()) {
                problems.add(new OfflineAnswer.Problem("external_id", "no contact with external_id "
                        + OfflineAnswer.shown(a.externalId())));
            }
            if (campaign.isEmpty()) {
                problems.add(new OfflineAnswer.Problem("campaign", "no campaign with key " + OfflineAnswer.shown(a.campaign())));
            }
            if (!problems.isEmpty()) {
                return Stored.refused(problems);
            }
            Optional<Long> invitation = queries.createInvitation(tx, campaign.get(), contact.get(), a.receivedAt(), now);
            if (invitation.isPresent()) {
                long id = responses.insert(tx, invitation.get(), a.score(), a.comment(), a.channel(), null, a.receivedAt(), now);
                notices.created(tx, responses, responses.byId(tx, invitation.get(), false).orElseThrow(), now);
                imported++;
                return new Stored(id, "imported", List.of());
            }
            OfflineAnswerQueries.Stored before = queries.existing(tx, campaign.get(), contact.get(), a.receivedAt())
                    .orElseThrow();
            String differs = before.score() != a.score() ? "score"
                    : !Objects.equals(before.comment(), a.comment()) ? "comment"
                    : !before.channel().equals(a.channel()) ? "channel" : null;
            if (differs != null) {
                return Stored.refused(List.of(new OfflineAnswer.Problem(differs, "differs from the answer already stored "
                        + "for this contact, campaign and received_at (score " + before.score() + ", channel "
                        + before.channel() + "); an imported answer is not changed")));
            }
            unchanged++;
            return new Stored(before.responseId(), "unchanged", List.of());
        }

        Summary summary(long rejected) {
            return new Summary(imported, unchanged, rejected);
        }
    }

    /** A new batch in {@code tx}, for a file import. */
    Batch batch(DSLContext tx, Instant now) {
        return new Batch(tx, now);
    }

    DSLContext dsl() {
        return dsl;
    }

    Clock clock() {
        return clock;
    }

    AuditLog audit() {
        return audit;
    }
}
