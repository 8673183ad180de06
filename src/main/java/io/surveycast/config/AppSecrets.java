package io.surveycast.config;

import static io.surveycast.db.Tables.APP_SECRET;

import org.jooq.DSLContext;

/** The secrets every node shares, made by migrations (form signing V7, survey tokens V11). */
public final class AppSecrets {
    private AppSecrets() {
    }

    public static String named(DSLContext dsl, String name) {
        return dsl.select(APP_SECRET.VALUE).from(APP_SECRET).where(APP_SECRET.NAME.eq(name))
                .fetchOptional(APP_SECRET.VALUE)
                .orElseThrow(() -> new IllegalStateException("no " + name + " secret in app_secret: is the database migrated?"));
    }
}
