package io.surveycast.plan;

import io.surveycast.campaign.CampaignDefinition;
import io.surveycast.sql.NamedSql;
import io.surveycast.sql.Params;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Queues the promoter follow-up emails of a campaign with {@code follow-up.promoter-email} when
 * they fall due, as reminders are queued (statement {@code queue-promoter-emails} of
 * {@code src/main/resources/sql/promoter.sql}): only for answers that are a promoter's at that
 * moment, on email, within consent, the weekly message cap and the send window.
 */
final class PromoterEmails {
    private static final NamedSql SQL = NamedSql.of("promoter");
    /**
     * How long a promoter email may wait for the weekly cap or the send window after its due time
     * before it is cancelled: a thank-you weeks late reads as noise, and the cap frees within 7 days.
     */
    static final Duration HORIZON = Duration.ofDays(7);

    /** Counts by outcome ({@code queued}, else the reason it was cancelled). */
    Map<String, Long> queue(DSLContext tx, PlanCampaign campaign, Instant at, Instant now, int maxPerWeek) {
        CampaignDefinition.PromoterEmail email = campaign.definition().followUp().promoterEmail();
        Map<String, Long> counts = new TreeMap<>();
        if (email == null) {
            return counts;
        }
        Params params = ReminderQueries.queueParams(campaign, "email", email.after().toPgInterval(), at, now, maxPerWeek)
                .value("horizon", HORIZON.toSeconds() + " seconds")
                .value("lateness", campaign.definition().maxLateness().toPgInterval());
        for (Record r : SQL.get("queue-promoter-emails").query(tx, params).fetch()) {
            String status = r.get("status", String.class);
            counts.merge(status.equals("queued") ? "queued" : r.get("reason", String.class), r.get("n", Long.class),
                    Long::sum);
        }
        return counts;
    }
}
