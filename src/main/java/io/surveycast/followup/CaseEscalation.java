package io.surveycast.followup;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;

/**
 * A case still open at its due time is overdue, and escalated once: one email to its owner and one
 * to the campaign's {@code escalate-to}, and a {@code case.overdue} webhook, all queued in the
 * outbox in the transaction that marks the case escalated ({@code overdue_at}); several nodes
 * escalating at once skip each other's cases.
 */
public final class CaseEscalation {
    private final DSLContext dsl;
    private final Clock clock;
    private final CaseNotices notices;
    private final CaseQueries queries = new CaseQueries();

    CaseEscalation(DSLContext dsl, Clock clock, CaseNotices notices) {
        this.dsl = dsl;
        this.clock = clock;
        this.notices = notices;
    }

    /** Escalates every case overdue now and not escalated yet; returns how many. */
    public int escalateDue() {
        return CaseQueries.inBatches(dsl, tx -> {
            Instant now = clock.instant();
            List<Long> due = queries.dueForEscalation(tx, now, 100);
            for (long id : due) {
                FollowUpCase c = queries.find(tx, id, false).orElseThrow();
                String escalateTo = queries.campaign(tx, id).followUp().escalateTo();
                queries.markOverdue(tx, id, now);
                notices.overdue(tx, c, escalateTo, now);
            }
            return due.size();
        });
    }

    /** For the timer route: as {@link #escalateDue()}, a lost database told once, not on every tick (the queue waits). */
    public void tick() {
        try {
            escalateDue();
            io.surveycast.config.DatabaseOutage.process().reached();
        } catch (RuntimeException e) {
            if (!io.surveycast.config.DatabaseOutage.isConnectionLoss(e)) {
                throw e;
            }
            io.surveycast.config.DatabaseOutage.process().lost("case escalation", e);
        }
    }
}
