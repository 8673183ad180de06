package io.surveycast.theme;

import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.RESPONSE_SENTIMENT;
import static io.surveycast.db.Tables.RESPONSE_THEME;
import static io.surveycast.db.Tables.RESPONSE_THEME_REMOVED;
import static io.surveycast.db.Tables.THEME;
import static io.surveycast.db.Tables.THEME_QUEUE;

import io.surveycast.db.tables.records.ThemeRecord;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/** The SQL of themes, tags and the tagging queue. */
final class ThemeQueries {
    record Queued(long responseId, OffsetDateTime queuedAt, String comment, Integer score) {
    }

    Optional<ThemeRecord> find(DSLContext tx, String key) {
        return tx.selectFrom(THEME).where(THEME.KEY.eq(key)).fetchOptional();
    }

    List<ThemeRecord> all(DSLContext dsl) {
        return dsl.selectFrom(THEME).orderBy(THEME.KEY).fetch();
    }

    boolean none(DSLContext dsl) {
        return !dsl.fetchExists(THEME);
    }

    /** A fingerprint of the whole theme set: it changes whenever a theme is created or updated. */
    String version(DSLContext dsl) {
        org.jooq.Field<String> version = DSL.coalesce(DSL.groupConcat(THEME.KEY.concat(":").concat(THEME.DEFINITION_HASH))
                .orderBy(THEME.KEY).separator(","), DSL.inline(""));
        return dsl.select(version).from(THEME).fetchOne(version);
    }

    void upsert(DSLContext tx, String key, String label, String json, String hash, String file, OffsetDateTime now) {
        tx.insertInto(THEME)
                .set(THEME.KEY, key).set(THEME.LABEL, label).set(THEME.DEFINITION, JSONB.valueOf(json))
                .set(THEME.DEFINITION_HASH, hash).set(THEME.SOURCE_FILE, file)
                .set(THEME.CREATED_AT, now).set(THEME.UPDATED_AT, now)
                .onConflict(THEME.KEY).doUpdate()
                .set(THEME.LABEL, label).set(THEME.DEFINITION, JSONB.valueOf(json))
                .set(THEME.DEFINITION_HASH, hash).set(THEME.SOURCE_FILE, file).set(THEME.UPDATED_AT, now)
                .execute();
    }

    /** Queues every comment received since {@code since} (all when null) for tagging; returns how many. */
    int queueAll(DSLContext tx, OffsetDateTime since) {
        var condition = RESPONSE.COMMENT.isNotNull();
        if (since != null) {
            condition = condition.and(RESPONSE.RECEIVED_AT.ge(since));
        }
        return tx.insertInto(THEME_QUEUE, THEME_QUEUE.RESPONSE_ID, THEME_QUEUE.QUEUED_AT)
                .select(DSL.select(RESPONSE.ID, RESPONSE.UPDATED_AT).from(RESPONSE).where(condition))
                .onConflict(THEME_QUEUE.RESPONSE_ID).doUpdate().set(THEME_QUEUE.QUEUED_AT, DSL.excluded(THEME_QUEUE.QUEUED_AT))
                .execute();
    }

    /** Up to {@code limit} queued comments, locked for this transaction; other taggers skip them. */
    List<Queued> claim(DSLContext tx, int limit) {
        return tx.select(THEME_QUEUE.RESPONSE_ID, THEME_QUEUE.QUEUED_AT, RESPONSE.COMMENT, RESPONSE.SCORE)
                .from(THEME_QUEUE).join(RESPONSE).on(RESPONSE.ID.eq(THEME_QUEUE.RESPONSE_ID))
                .orderBy(THEME_QUEUE.QUEUED_AT)
                .limit(limit)
                .forUpdate().of(THEME_QUEUE).skipLocked()
                .fetch(r -> new Queued(r.value1(), r.value2(), r.value3(),
                        r.value4() == null ? null : r.value4().intValue()));
    }

    int queued(DSLContext dsl) {
        return dsl.fetchCount(THEME_QUEUE);
    }

    /** The (response, theme) pairs among {@code responses} that were untagged by hand. */
    Set<String> removed(DSLContext tx, Collection<Long> responses) {
        return new HashSet<>(tx.select(RESPONSE_THEME_REMOVED.RESPONSE_ID, RESPONSE_THEME_REMOVED.THEME_KEY)
                .from(RESPONSE_THEME_REMOVED).where(RESPONSE_THEME_REMOVED.RESPONSE_ID.in(responses))
                .fetch(r -> r.value1() + "/" + r.value2()));
    }

    /** Drops the tags rules and the model gave these responses (manual ones stay). */
    void clearComputed(DSLContext tx, Collection<Long> responses) {
        tx.deleteFrom(RESPONSE_THEME).where(RESPONSE_THEME.RESPONSE_ID.in(responses))
                .and(RESPONSE_THEME.SOURCE.ne(ThemeTagger.MANUAL)).execute();
    }

    /** A tag, unless the response already has that theme (a manual tag wins). */
    void tag(DSLContext tx, long response, String theme, String source, Float similarity) {
        tag(tx, List.of(new Tagged(response, theme, source, similarity)));
    }

    record Tagged(long response, String theme, String source, Float similarity) {
    }

    /** Tags, in one statement; a theme the response already has (by hand) stays as it is. */
    void tag(DSLContext tx, List<Tagged> tags) {
        if (tags.isEmpty()) {
            return;
        }
        var insert = tx.insertInto(RESPONSE_THEME, RESPONSE_THEME.RESPONSE_ID, RESPONSE_THEME.THEME_KEY,
                RESPONSE_THEME.SOURCE, RESPONSE_THEME.SIMILARITY);
        for (Tagged t : tags) {
            insert = insert.values(t.response(), t.theme(), t.source(), t.similarity());
        }
        insert.onConflictDoNothing().execute();
    }

    record Felt(long response, String sentiment) {
    }

    /** The sentiments of a batch in two statements: set where there is one, removed where the comment is gone. */
    void sentiments(DSLContext tx, List<Felt> felt, OffsetDateTime now) {
        List<Long> none = felt.stream().filter(f -> f.sentiment() == null).map(Felt::response).toList();
        if (!none.isEmpty()) {
            tx.deleteFrom(RESPONSE_SENTIMENT).where(RESPONSE_SENTIMENT.RESPONSE_ID.in(none)).execute();
        }
        List<Felt> some = felt.stream().filter(f -> f.sentiment() != null).toList();
        if (some.isEmpty()) {
            return;
        }
        var insert = tx.insertInto(RESPONSE_SENTIMENT, RESPONSE_SENTIMENT.RESPONSE_ID, RESPONSE_SENTIMENT.SENTIMENT,
                RESPONSE_SENTIMENT.TAGGED_AT);
        for (Felt f : some) {
            insert = insert.values(f.response(), f.sentiment(), now);
        }
        insert.onConflict(RESPONSE_SENTIMENT.RESPONSE_ID).doUpdate()
                .set(RESPONSE_SENTIMENT.SENTIMENT, DSL.excluded(RESPONSE_SENTIMENT.SENTIMENT))
                .set(RESPONSE_SENTIMENT.TAGGED_AT, DSL.excluded(RESPONSE_SENTIMENT.TAGGED_AT))
                .execute();
    }

    /** Removes the queue entries just tagged, unless the comment changed again meanwhile. */
    void dequeue(DSLContext tx, List<Queued> done) {
        tx.deleteFrom(THEME_QUEUE).where(DSL.row(THEME_QUEUE.RESPONSE_ID, THEME_QUEUE.QUEUED_AT)
                .in(done.stream().map(q -> DSL.row(q.responseId(), q.queuedAt())).toList())).execute();
    }

    boolean responseExists(DSLContext tx, long response) {
        return tx.fetchExists(RESPONSE, RESPONSE.ID.eq(response));
    }

    /** The response's themes as they are now: key and source. */
    List<org.jooq.Record2<String, String>> themesOf(DSLContext tx, long response) {
        return tx.select(RESPONSE_THEME.THEME_KEY, RESPONSE_THEME.SOURCE).from(RESPONSE_THEME)
                .where(RESPONSE_THEME.RESPONSE_ID.eq(response)).orderBy(RESPONSE_THEME.THEME_KEY).fetch();
    }

    /** Sets a response's themes by hand: these become manual tags, every other theme is removed and stays removed. */
    void setManual(DSLContext tx, long response, Set<String> themes) {
        tx.deleteFrom(RESPONSE_THEME).where(RESPONSE_THEME.RESPONSE_ID.eq(response)).execute();
        tx.deleteFrom(RESPONSE_THEME_REMOVED).where(RESPONSE_THEME_REMOVED.RESPONSE_ID.eq(response)).execute();
        for (String theme : themes) {
            tag(tx, response, theme, ThemeTagger.MANUAL, null);
        }
        tx.insertInto(RESPONSE_THEME_REMOVED, RESPONSE_THEME_REMOVED.RESPONSE_ID, RESPONSE_THEME_REMOVED.THEME_KEY)
                .select(DSL.select(DSL.val(response), THEME.KEY).from(THEME).where(THEME.KEY.notIn(themes)))
                .execute();
    }
}
