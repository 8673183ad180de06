package io.surveycast.digest;


import io.surveycast.response.NotificationOutbox;
import io.surveycast.sql.NamedSql;
import io.surveycast.sql.Params;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/** The SQL of digests: their definitions, the runs that make each period's send unique, the comments shown, the outbox rows. */
final class DigestQueries {
    private static final NamedSql SQL = NamedSql.of("digest");

    record Stored(String name, String definition, String hash, Instant createdAt) {
    }

    record Listed(String name, String definition, String file, LocalDate lastPeriodEnd, Instant lastSentAt) {
    }

    record Comment(long responseId, int score, String comment, Instant receivedAt, String campaign) {
    }

    List<Listed> all(DSLContext dsl) {
        return SQL.get("all").query(dsl, new Params()).fetch(r -> new Listed(r.get("name", String.class),
                r.get("definition", String.class), r.get("file", String.class), r.get("last_period_end", LocalDate.class),
                instant(r.get("last_sent_at", OffsetDateTime.class))));
    }

    Optional<Stored> find(DSLContext dsl, String name) {
        return SQL.get("find").query(dsl, new Params().value("name", name)).fetchOptional(r -> new Stored(
                r.get("name", String.class), r.get("definition", String.class), r.get("definition_hash", String.class),
                instant(r.get("created_at", OffsetDateTime.class))));
    }

    void insert(DSLContext tx, String name, String definition, String hash, String file, Instant now) {
        tx.execute(SQL.get("insert").sql(new Params().value("name", name).value("definition", definition)
                .value("hash", hash).value("file", file).value("now", utc(now))));
    }

    void update(DSLContext tx, String name, String definition, String hash, String file, Instant now) {
        tx.execute(SQL.get("update").sql(new Params().value("name", name).value("definition", definition)
                .value("hash", hash).value("file", file).value("now", utc(now))));
    }

    /** True when this call recorded the scheduled send of the period (and must queue it), false when it was already. */
    boolean claimScheduled(DSLContext tx, String digest, DigestPeriod period, Instant firedAt, int recipients, Instant now) {
        return SQL.get("claim-scheduled").query(tx, new Params().value("digest", digest)
                .value("period_start", period.from()).value("period_end", period.endExclusive())
                .value("fired_at", utc(firedAt)).value("recipients", recipients).value("now", utc(now)))
                .fetchOptional().isPresent();
    }

    void insertManual(DSLContext tx, String digest, DigestPeriod period, int recipients, Instant now) {
        SQL.get("insert-manual").query(tx, new Params().value("digest", digest).value("period_start", period.from())
                .value("period_end", period.endExclusive()).value("recipients", recipients).value("now", utc(now))).fetch();
    }

    /** @param segmentJson the attribute filter as a JSON object of value lists ({@code {}} for none) */
    List<Comment> comments(DSLContext dsl, DigestPeriod period, String campaign, String segmentJson, int limit) {
        return SQL.get("recent-comments").query(dsl, new Params().value("from_day", period.from())
                .value("to_day", period.endExclusive()).value("campaign", campaign).value("segment", segmentJson)
                .value("limit", limit)).fetch(r -> new Comment(r.get("id", Long.class), r.get("score", Integer.class),
                r.get("comment", String.class), instant(r.get("received_at", OffsetDateTime.class)),
                r.get("campaign", String.class)));
    }

    /** One outbox row: kind {@code email} (payload subject, text, html) or {@code webhook} (the JSON posted). */
    void queue(DSLContext tx, String kind, String target, String payload, Instant now) {
        NotificationOutbox.queue(tx, null, kind, "digest", target, payload, now, now).execute();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
