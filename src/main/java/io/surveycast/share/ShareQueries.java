package io.surveycast.share;

import static io.surveycast.db.Tables.WALL_SHARE;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;

/** The SQL of wall-display links. */
final class ShareQueries {

    record Row(long id, String hint, Instant createdAt, Instant expiresAt, String createdBy) { }

    long insert(DSLContext tx, String tokenHash, String hint, String actor, Instant now, Instant expires) {
        return tx.insertInto(WALL_SHARE)
                .set(WALL_SHARE.TOKEN_HASH, tokenHash)
                .set(WALL_SHARE.HINT, hint)
                .set(WALL_SHARE.CREATED_BY, actor)
                .set(WALL_SHARE.CREATED_AT, utc(now))
                .set(WALL_SHARE.EXPIRES_AT, expires == null ? null : utc(expires))
                .returning(WALL_SHARE.ID)
                .fetchOne(WALL_SHARE.ID);
    }

    List<Row> live(DSLContext dsl, Instant now) {
        return dsl.select(WALL_SHARE.ID, WALL_SHARE.HINT, WALL_SHARE.CREATED_AT, WALL_SHARE.EXPIRES_AT, WALL_SHARE.CREATED_BY)
                .from(WALL_SHARE)
                .where(live(now))
                .orderBy(WALL_SHARE.ID)
                .fetch(r -> new Row(r.value1(), r.value2(), r.value3().toInstant(),
                        r.value4() == null ? null : r.value4().toInstant(), r.value5()));
    }

    /** Found through the unique index on the hash: no comparison of secrets in Java. */
    boolean liveByHash(DSLContext dsl, String tokenHash, Instant now) {
        return dsl.fetchExists(WALL_SHARE, WALL_SHARE.TOKEN_HASH.eq(tokenHash).and(live(now)));
    }

    boolean exists(DSLContext tx, long id) {
        return tx.fetchExists(WALL_SHARE, WALL_SHARE.ID.eq(id));
    }

    boolean revoke(DSLContext tx, long id, Instant now) {
        return tx.update(WALL_SHARE).set(WALL_SHARE.REVOKED_AT, utc(now))
                .where(WALL_SHARE.ID.eq(id), WALL_SHARE.REVOKED_AT.isNull())
                .execute() == 1;
    }

    private static Condition live(Instant now) {
        return WALL_SHARE.REVOKED_AT.isNull().and(WALL_SHARE.EXPIRES_AT.isNull().or(WALL_SHARE.EXPIRES_AT.gt(utc(now))));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
