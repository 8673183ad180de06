package io.surveycast.schedule;

import io.surveycast.plan.PlanCampaign;
import io.surveycast.plan.PlanCounts;
import io.surveycast.plan.PlanSession;
import io.surveycast.plan.Planner;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs everything that is due at an instant, once: expiry, then every active campaign's due
 * cycles in priority order (so the higher priority wins a collision), then due reminders and
 * promoter follow-up emails.
 * What is due is a function of the database and the instant only, so a missed scan is caught
 * up by the next one and running the same instant twice does nothing more.
 */
public final class DueRunner {
    private static final Logger LOG = LoggerFactory.getLogger(DueRunner.class);
    private final DSLContext dsl;
    private final Planner planner;

    public DueRunner(DSLContext dsl, Planner planner) {
        this.dsl = dsl;
        this.planner = planner;
    }

    /**
     * Everything due at {@code at}, under the planning lock held for the whole run: expiry, each
     * campaign (each batch of a large wave) and the reminders are committed step by step, so a
     * campaign planned after another sees its invitations, and a run that fails half-way is
     * completed by the next one without planning anything twice.
     */
    public PlanCounts runAt(Instant at) {
        PlanCounts counts = new PlanCounts();
        try (PlanSession session = planner.session(dsl)) {
            planner.refreshStatistics(session.dsl()); // outside the transactions (see there)
            counts.addAll(session.transaction(tx -> planner.expire(tx, at, at)));
            var campaigns = planner.campaigns(session.dsl()).stream().filter(PlanCampaign::isActive).toList();
            for (PlanCampaign campaign : campaigns) {
                counts.addAll(planner.plan(session, campaign, at, at));
            }
            planner.refreshStatistics(session.dsl());
            counts.addAll(session.transaction(tx -> remind(tx, campaigns, at)));
        }
        if (counts.invited() > 0 || counts.expired() > 0) {
            LOG.info("due at {}: invited {}, reminders {}, skipped {}, expired {}", at, counts.invite(), counts.remind(),
                    counts.skip(), counts.expired());
        }
        return counts;
    }

    /** Everything due at {@code at}, in the caller's transaction (a dry run, a forecast). */
    public PlanCounts runAt(DSLContext tx, Instant at) {
        planner.lock(tx);
        PlanCounts counts = new PlanCounts();
        counts.addAll(planner.expire(tx, at, at));
        var campaigns = planner.campaigns(tx).stream().filter(PlanCampaign::isActive).toList();
        for (PlanCampaign campaign : campaigns) {
            counts.addAll(planner.plan(tx, campaign, at, at));
        }
        counts.addAll(remind(tx, campaigns, at));
        return counts;
    }

    private PlanCounts remind(DSLContext tx, java.util.List<PlanCampaign> campaigns, Instant at) {
        PlanCounts counts = new PlanCounts();
        for (PlanCampaign campaign : campaigns) {
            counts.addAll(planner.remind(tx, campaign, at, at));
        }
        for (PlanCampaign campaign : campaigns) {
            counts.addAll(planner.followUpPromoters(tx, campaign, at, at));
        }
        return counts;
    }

    /** Runs at {@code from}, {@code from + step}, ... up to and including {@code until}; each step in its own transaction. */
    public PlanCounts runSteps(Instant from, Instant until, Duration step, Consumer<Instant> progress) {
        PlanCounts total = new PlanCounts();
        for (Instant at = from; !at.isAfter(until); at = at.plus(step)) {
            total.addAll(runAt(at));
            progress.accept(at);
        }
        return total;
    }
}
