package io.surveycast.audit;

import static io.surveycast.db.Tables.AUDIT_LOG;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.JSONB;

/** Writes who changed what, in the caller's transaction. */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock;

    public AuditLog(Clock clock) {
        this.clock = clock;
    }

    public void record(DSLContext tx, String actor, String action, String entity, String entityKey, Map<String, ?> detail) {
        String json;
        try {
            json = JSON.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not serialisable", e);
        }
        tx.insertInto(AUDIT_LOG)
                .set(AUDIT_LOG.AT, clock.instant().atOffset(java.time.ZoneOffset.UTC))
                .set(AUDIT_LOG.ACTOR, actor)
                .set(AUDIT_LOG.ACTION, action)
                .set(AUDIT_LOG.ENTITY, entity)
                .set(AUDIT_LOG.ENTITY_KEY, entityKey)
                .set(AUDIT_LOG.DETAIL, JSONB.valueOf(json))
                .execute();
    }

    /** The actor for commands run from a shell: {@code cli:<os user>}. */
    public static String cliActor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }
}
