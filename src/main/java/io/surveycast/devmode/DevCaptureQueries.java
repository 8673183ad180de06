package io.surveycast.devmode;

import static io.surveycast.db.Tables.DEV_CAPTURE;

import io.surveycast.db.tables.records.DevCaptureRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/** The SQL of development mode's captured messages. */
final class DevCaptureQueries {

    void insert(DSLContext dsl, String channel, Long messageId, String recipient, String subject, String body,
                Instant at) {
        dsl.insertInto(DEV_CAPTURE)
                .set(DEV_CAPTURE.CHANNEL, channel)
                .set(DEV_CAPTURE.MESSAGE_ID, messageId)
                .set(DEV_CAPTURE.RECIPIENT, recipient)
                .set(DEV_CAPTURE.SUBJECT, subject)
                .set(DEV_CAPTURE.BODY, body)
                .set(DEV_CAPTURE.AT, at.atOffset(ZoneOffset.UTC))
                .execute();
    }

    List<DevCaptureRecord> latest(DSLContext dsl, String channel, int limit) {
        return dsl.selectFrom(DEV_CAPTURE).where(DEV_CAPTURE.CHANNEL.eq(channel))
                .orderBy(DEV_CAPTURE.ID.desc()).limit(limit).fetch();
    }

    Optional<DevCaptureRecord> find(DSLContext dsl, String channel, long id) {
        return dsl.selectFrom(DEV_CAPTURE).where(DEV_CAPTURE.CHANNEL.eq(channel), DEV_CAPTURE.ID.eq(id)).fetchOptional();
    }
}
