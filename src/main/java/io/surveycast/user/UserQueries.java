package io.surveycast.user;

import static io.surveycast.db.Tables.APP_SESSION;
import static io.surveycast.db.Tables.APP_USER;

import java.time.OffsetDateTime;
import java.util.Optional;
import org.jooq.DSLContext;

/** The SQL of users and their tokens. */
final class UserQueries {

    boolean exists(DSLContext tx, String name) {
        return tx.fetchExists(APP_USER, APP_USER.NAME.eq(name));
    }

    long insert(DSLContext tx, String name, Role role, String tokenHash, OffsetDateTime now) {
        return tx.insertInto(APP_USER)
                .set(APP_USER.NAME, name)
                .set(APP_USER.ROLE, role.id())
                .set(APP_USER.TOKEN_HASH, tokenHash)
                .set(APP_USER.CREATED_AT, now)
                .returning(APP_USER.ID)
                .fetchOne(APP_USER.ID);
    }

    Optional<User> findActiveByTokenHash(DSLContext dsl, String tokenHash) {
        return dsl.select(APP_USER.ID, APP_USER.NAME, APP_USER.ROLE)
                .from(APP_USER)
                .where(APP_USER.TOKEN_HASH.eq(tokenHash))
                .and(APP_USER.DISABLED_AT.isNull())
                .fetchOptional(r -> new User(r.value1(), r.value2(), Role.of(r.value3())));
    }

    /** Gives the user a new token hash; false when there is no such user. */
    boolean replaceToken(DSLContext tx, String name, String tokenHash) {
        return tx.update(io.surveycast.db.Tables.APP_USER)
                .set(io.surveycast.db.Tables.APP_USER.TOKEN_HASH, tokenHash)
                .where(io.surveycast.db.Tables.APP_USER.NAME.eq(name))
                .execute() == 1;
    }

    Optional<Long> idOf(DSLContext tx, String name) {
        return tx.select(APP_USER.ID).from(APP_USER).where(APP_USER.NAME.eq(name)).forUpdate().fetchOptional(APP_USER.ID);
    }

    Optional<User> byName(DSLContext tx, String name) {
        return tx.select(APP_USER.ID, APP_USER.NAME, APP_USER.ROLE)
                .from(APP_USER)
                .where(APP_USER.NAME.eq(name))
                .forUpdate()
                .fetchOptional(r -> new User(r.value1(), r.value2(), Role.of(r.value3())));
    }

    /**
     * The enabled admins, their rows locked in id order: two sessions disabling the last two
     * admins at once take turns here, so the second sees that only one is left.
     */
    java.util.List<Long> enabledAdminsLocked(DSLContext tx) {
        return tx.select(APP_USER.ID).from(APP_USER)
                .where(APP_USER.ROLE.eq(Role.ADMIN.id()), APP_USER.DISABLED_AT.isNull())
                .orderBy(APP_USER.ID).forUpdate().fetch(APP_USER.ID);
    }

    boolean disable(DSLContext tx, long id, OffsetDateTime now) {
        return tx.update(APP_USER).set(APP_USER.DISABLED_AT, now)
                .where(APP_USER.ID.eq(id), APP_USER.DISABLED_AT.isNull()).execute() == 1;
    }

    boolean enable(DSLContext tx, long id) {
        return tx.update(APP_USER).setNull(APP_USER.DISABLED_AT)
                .where(APP_USER.ID.eq(id), APP_USER.DISABLED_AT.isNotNull()).execute() == 1;
    }

    void endSessions(DSLContext tx, long userId) {
        tx.deleteFrom(APP_SESSION).where(APP_SESSION.USER_ID.eq(userId)).execute();
    }

    java.util.List<Users.Listed> all(DSLContext dsl) {
        return dsl.select(APP_USER.NAME, APP_USER.ROLE, APP_USER.CREATED_AT, APP_USER.DISABLED_AT)
                .from(APP_USER)
                .orderBy(APP_USER.NAME)
                .fetch(r -> new Users.Listed(r.value1(), Role.of(r.value2()), r.value3().toInstant(), r.value4() != null));
    }
}
