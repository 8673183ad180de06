package io.surveycast.plan;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jooq.DSLContext;

/**
 * What the next days will bring, from the current data: the due runs of each day are played
 * in a transaction that is rolled back, and the messages and skips they would produce are read
 * per day. Nothing is written.
 */
public final class Forecast {
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
        Instant to = from.plus(Duration.ofDays(days));
        @SuppressWarnings("unchecked")
        Map<LocalDate, PlanCounts>[] result = new Map[1];
        io.surveycast.config.Transactions.run(dsl, true, tx -> {
            for (Instant at = from; !at.isAfter(to); at = at.plus(Duration.ofHours(6))) {
                runDue.accept(tx, at);
            }
            result[0] = queries.byDay(tx, from, to, campaignKey);
        });
        return result[0];
    }
}
