package io.surveycast.followup;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Applies the campaign's follow-up rules to the answers queued by the database (table
 * {@code case_queue}, filled by a trigger whenever an answer is stored or changes category, so
 * every way of storing one is covered): opens a case for an answer in a category that opens cases,
 * and when the answer changes within its 24 hours, the same case follows it (moved to the new
 * category, closed as {@code score_changed} when it leaves the cases' categories, opened again when
 * it comes back; a case a person closed stays closed). A response has at most one case; the same answer arriving twice changes nothing.
 */
public final class CaseOpening {
    static final String SCORE_CHANGED = "score_changed";
    private final DSLContext dsl;
    private final Clock clock;
    private final CaseNotices notices;
    private final CaseQueries queries = new CaseQueries();

    CaseOpening(DSLContext dsl, Clock clock, CaseNotices notices) {
        this.dsl = dsl;
        this.clock = clock;
        this.notices = notices;
    }

    /** Applies the rules to everything queued; returns how many answers it handled. */
    public int drain() {
        return drain(false);
    }

    /** Brings the cases up to every answer stored so far, waiting for those another node is handling. */
    public void catchUp() {
        drain(true);
    }

    /**
     * {@code waiting}: also waits for the answers another transaction (the timer, another node) is
     * handling, so that what is read next sees their cases.
     */
    int drain(boolean waiting) {
        return CaseQueries.inBatches(dsl, tx -> {
            List<Long> queued = queries.claimQueued(tx, 100, waiting);
            for (long responseId : queued) {
                apply(tx, responseId);
                queries.dequeue(tx, responseId);
            }
            return queued.size();
        });
    }

    private void apply(DSLContext tx, long responseId) {
        var found = queries.answer(tx, responseId);
        if (found.isEmpty()) {
            return; // an answer without a campaign's invitation: no rules to apply
        }
        CaseQueries.Answer answer = found.get();
        var followUp = answer.campaign().followUp();
        var rule = CaseRules.opening(followUp, answer.category());
        var state = queries.stateForUpdate(tx, responseId);
        var due = rule == null ? null : CaseRules.due(answer.answeredAt(), rule.due(), answer.campaign().zoneOrUtc());
        if (state.isEmpty()) {
            if (rule != null) {
                String owner = answer.ownerEmail() != null && !answer.ownerEmail().isBlank() ? answer.ownerEmail().strip()
                        : followUp.owner();
                Instant now = clock.instant();
                queries.open(tx, answer, owner, due).ifPresent(id -> {
                    told(tx, id, "case.opened");
                    if (!due.isAfter(now)) {
                        // past its due time before it opened (an import of old answers, the demo's year):
                        // listed as overdue, but marked escalated, so a backlog sends no storm of emails
                        queries.markOverdue(tx, id, now);
                    }
                });
            }
            return;
        }
        CaseQueries.State c = state.get();
        boolean closedByPerson = c.status().equals("closed") && !SCORE_CHANGED.equals(c.closeReason());
        boolean closedByChange = c.status().equals("closed") && SCORE_CHANGED.equals(c.closeReason());
        if (closedByPerson || (c.category().equals(answer.category()) && !closedByChange)) {
            return; // someone closed it after talking to the customer; or nothing changed for the case
        }
        if (rule != null) {
            boolean reopen = closedByChange;
            queries.move(tx, c.id(), answer.category(), due, reopen, answer.answeredAt());
            if (reopen) {
                told(tx, c.id(), "case.opened");
            }
        } else if (queries.close(tx, c.id(), SCORE_CHANGED, answer.answeredAt(), false)) {
            told(tx, c.id(), "case.closed");
        }
    }

    private void told(DSLContext tx, long caseId, String event) {
        notices.webhook(tx, queries.find(tx, caseId, false).orElseThrow(), event, clock.instant());
    }

    /** For the timer route: as {@link #drain()}, a lost database told once, not on every tick (the queue waits). */
    public void tick() {
        try {
            drain();
            io.surveycast.config.DatabaseOutage.process().reached();
        } catch (RuntimeException e) {
            if (!io.surveycast.config.DatabaseOutage.isConnectionLoss(e)) {
                throw e;
            }
            io.surveycast.config.DatabaseOutage.process().lost("case opening", e);
        }
    }
}
