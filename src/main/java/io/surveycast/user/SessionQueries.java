package io.surveycast.user;

import static io.surveycast.db.Tables.APP_SESSION;
import static io.surveycast.db.Tables.APP_USER;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jooq.DSLContext;

/** The SQL of browser sessions. */
final class SessionQueries {

    void insert(DSLContext dsl, String idHash, long userId, Instant now, Instant expires) {
        dsl.insertInto(APP_SESSION)
                .set(APP_SESSION.ID_HASH, idHash)
                .set(APP_SESSION.USER_ID, userId)
                .set(APP_SESSION.CREATED_AT, now.atOffset(ZoneOffset.UTC))
                .set(APP_SESSION.EXPIRES_AT, expires.atOffset(ZoneOffset.UTC))
                .execute();
    }

    /** The user of a live session whose account is still enabled. */
    Optional<User> user(DSLContext dsl, String idHash, Instant now) {
        return dsl.select(APP_USER.ID, APP_USER.NAME, APP_USER.ROLE)
                .from(APP_SESSION).join(APP_USER).on(APP_USER.ID.eq(APP_SESSION.USER_ID))
                .where(APP_SESSION.ID_HASH.eq(idHash), APP_SESSION.EXPIRES_AT.gt(now.atOffset(ZoneOffset.UTC)),
                        APP_USER.DISABLED_AT.isNull())
                .fetchOptional(r -> new User(r.value1(), r.value2(), Role.of(r.value3())));
    }

    void delete(DSLContext dsl, String idHash, Instant now) {
        dsl.deleteFrom(APP_SESSION)
                .where(APP_SESSION.ID_HASH.eq(idHash).or(APP_SESSION.EXPIRES_AT.le(now.atOffset(ZoneOffset.UTC))))
                .execute();
    }
}
