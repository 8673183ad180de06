package io.surveycast.plan;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jooq.DSLContext;

/**
 * What the next days will bring, from the current data: the due runs are played in a transaction
 * that is rolled back, each followed by the sends it made due (marked sent, as a dispatcher would,
 * so that expiry later in the period does not take them back), and the messages and skips are read
 * per UTC day. The runs are at the start and then on a fixed grid (00:00, 06:00, 12:00 and 18:00
 * UTC), and the period always ends at midnight, so the figures of a day do not depend on how many
 * days are asked for; only the first day is partial, when the forecast starts after its midnight.
 * Nothing is written.
 */
public final class Forecast {
    /** The due-scan grid the forecast plays (the server scans every minute; waves are planned at once). */
    static final Duration STEP = Duration.ofHours(6);
    private final DSLContext dsl;
    private final ForecastQueries queries = new ForecastQueries();

    public Forecast(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * @param runDue runs everything due at an instant inside the given transaction
     */
    public Map<LocalDate, PlanCounts> days(Instant from, int days, BiConsumer<DSLContext, Instant> runDue) {
        return days(from, days, runDue, null);
    }

    /** The same, counting only what one campaign ({@code campaignKey}, null for all) would send and skip. */
    public Map<LocalDate, PlanCounts> days(Instant from, int days, BiConsumer<DSLContext, Instant> runDue, String campaignKey) {
        Instant end = from.atOffset(ZoneOffset.UTC).toLocalDate().plusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant();
        @SuppressWarnings("unchecked")
        Map<LocalDate, PlanCounts>[] result = new Map[1];
        io.surveycast.config.Transactions.run(dsl, true, tx -> {
            for (Instant at : runs(from, end)) {
                runDue.accept(tx, at);
                queries.sendDue(tx, from, at);
            }
            result[0] = queries.byDay(tx, from, end, campaignKey);
        });
        return result[0];
    }

    /** The time of day the first day of a forecast from {@code from} starts at, or null when it is a whole day. */
    public static java.time.LocalTime partialFrom(Instant from) {
        var time = from.atOffset(ZoneOffset.UTC).toLocalTime();
        return time.equals(java.time.LocalTime.MIDNIGHT) ? null : time;
    }

    /** {@code from}, then every point of the grid after it, before {@code end}. */
    static List<Instant> runs(Instant from, Instant end) {
        List<Instant> runs = new ArrayList<>();
        runs.add(from);
        Instant midnight = from.atOffset(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
        for (Instant at = midnight.plus(STEP); at.isBefore(end); at = at.plus(STEP)) {
            if (at.isAfter(from)) {
                runs.add(at);
            }
        }
        return runs;
    }
}
