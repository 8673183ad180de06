package io.surveycast.dashboard;

import io.surveycast.sql.NamedSql;
import io.surveycast.sql.Params;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * What the segment filter offers: the contact attributes and their existing values, from the
 * database, bounded ({@link #ATTRIBUTES} attributes, {@link #VALUES} values each, the most common
 * first) and kept for a minute.
 */
public final class SegmentChoices {
    static final int ATTRIBUTES = 30;
    static final int VALUES = 50;
    private static final Duration KEPT = Duration.ofMinutes(1);
    private static final NamedSql SQL = NamedSql.of("dashboard");
    private final DSLContext dsl;
    private final Clock clock;
    private Map<String, List<String>> cached;
    private Instant readAt;

    public SegmentChoices(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** Attribute name to its values, names in order. */
    public synchronized Map<String, List<String>> values() {
        Instant now = clock.instant();
        if (cached == null || readAt.plus(KEPT).isBefore(now) || now.isBefore(readAt)) {
            Map<String, List<String>> values = new LinkedHashMap<>();
            SQL.get("segment-values").query(dsl, new Params().value("attributes", ATTRIBUTES).value("values", VALUES))
                    .forEach(r -> values.computeIfAbsent(r.get("name", String.class), k -> new ArrayList<>())
                            .add(r.get("value", String.class)));
            values.replaceAll((k, v) -> List.copyOf(v));
            cached = values;
            readAt = now;
        }
        return cached;
    }

    /** The attribute names, for the breakdown chooser's {@code attr:NAME}. */
    public List<String> names() {
        return List.copyOf(values().keySet());
    }
}
