package io.surveycast.metrics;

import io.surveycast.sql.NamedSql;
import io.surveycast.sql.Params;
import io.surveycast.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;

/** The outbox figures of /metrics: the statements of src/main/resources/sql/metrics.sql. */
final class OutboxQueries {
    private static final NamedSql SQL = NamedSql.of("metrics");
    private static final Statement OUTBOX = SQL.get("outbox");
    private static final Statement NOTIFICATIONS = SQL.get("notifications");
    /** A reading that takes longer is given up (the scrape has its last figures meanwhile). */
    private static final int TIMEOUT_SECONDS = 5;

    private final DSLContext dsl;

    OutboxQueries(DSLContext dsl) {
        this.dsl = dsl;
    }

    OutboxReading read(Instant now) {
        Params params = new Params().value("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        Map<String, OutboxReading.Channel> channels = new HashMap<>();
        for (Record r : OUTBOX.query(dsl, params).queryTimeout(TIMEOUT_SECONDS).fetch()) {
            String channel = r.get("channel", String.class);
            OffsetDateTime oldest = r.get("oldest_due", OffsetDateTime.class);
            channels.put(channel, new OutboxReading.Channel(r.get("due", Long.class), r.get("claimed", Long.class),
                    r.get("scheduled", Long.class), oldest == null ? null : oldest.toInstant()));
        }
        Record n = NOTIFICATIONS.query(dsl, params).queryTimeout(TIMEOUT_SECONDS).fetchSingle();
        return new OutboxReading(true, channels, n.get("due", Long.class), n.get("scheduled", Long.class));
    }
}
