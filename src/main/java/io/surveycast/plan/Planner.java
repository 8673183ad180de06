package io.surveycast.plan;

import io.surveycast.campaign.CampaignDefinition;
import io.surveycast.campaign.CampaignTrigger;
import io.surveycast.campaign.FatiguePolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Decides who is invited, on which channel and when, for a campaign at an instant: the due
 * cycles of its trigger, then audience, sample, consent, fatigue and send window, all in
 * set-based statements. A recurring wave is planned in batches of contact-id ranges (a
 * contact's decisions depend only on its own rows), which a {@link PlanSession} commits one by
 * one on two connections at once. Planning the same instant twice inserts nothing new.
 */
public final class Planner {
    /** Contact ids per batch of a wave: big enough that a batch's fixed costs do not matter. */
    public static final int WAVE_BATCH = 50_000;
    /** Connections a due-scan plans a wave's batches on at once. */
    public static final int PARALLELISM = 2;
    /**
     * How long past its max-lateness a lifecycle trigger is still looked at, to be recorded as
     * too_late: scans may be missed for this long without losing those records.
     */
    public static final Duration LATE_MARGIN = Duration.ofDays(1);

    private final FatiguePolicy global;
    private final int waveBatch;
    private final int parallelism;
    private final PlannerQueries queries = new PlannerQueries();
    private final ReminderQueries reminders = new ReminderQueries();
    private final PromoterEmails promoterEmails = new PromoterEmails();
    private final PlannerStatistics statistics = new PlannerStatistics();

    public Planner(FatiguePolicy global) {
        this(global, WAVE_BATCH, PARALLELISM);
    }

    /** @param waveBatch contact ids per batch of a wave; @param parallelism connections used at once by a session */
    public Planner(FatiguePolicy global, int waveBatch, int parallelism) {
        if (waveBatch < 1 || parallelism < 1) {
            throw new IllegalArgumentException("batch size and parallelism must be positive");
        }
        this.global = global;
        this.waveBatch = waveBatch;
        this.parallelism = parallelism;
    }

    /** Every campaign, highest priority first (the order collisions are decided in). */
    public List<PlanCampaign> campaigns(DSLContext dsl) {
        return queries.campaigns(dsl, CampaignDefinition::stored);
    }

    /** Takes the cluster-wide planning lock for the rest of the transaction. */
    public void lock(DSLContext tx) {
        queries.lock(tx);
    }

    /**
     * Waits for the cluster-wide planning lock on a connection of {@code pool} and keeps it, across
     * transactions, until the session is closed.
     */
    public PlanSession session(DSLContext pool) {
        return PlanSession.open(pool, queries);
    }

    /**
     * Plans whatever of the campaign is due at {@code at}, in the caller's transaction (batch after
     * batch); {@code now} stamps the rows.
     */
    public PlanCounts plan(DSLContext tx, PlanCampaign campaign, Instant at, Instant now) {
        PlanCounts counts = new PlanCounts();
        for (var batch : batches(tx, campaign, at, now)) {
            counts.addAll(batch.apply(tx));
        }
        return counts;
    }

    /**
     * Plans whatever of the campaign is due at {@code at}, each batch committed in its own
     * transaction, on the session's connection and up to {@link #PARALLELISM} - 1 others at once.
     * Every batch is idempotent on its own, so a failure leaves committed batches that the next
     * run does not plan again, and plans the others.
     */
    public PlanCounts plan(PlanSession session, PlanCampaign campaign, Instant at, Instant now) {
        PlanCounts counts = new PlanCounts();
        session.inTransactions(batches(session.dsl(), campaign, at, now), parallelism).forEach(counts::addAll);
        return counts;
    }

    /** The work of planning the campaign at {@code at}, as independent batches. */
    private List<Function<DSLContext, PlanCounts>> batches(DSLContext dsl, PlanCampaign campaign, Instant at, Instant now) {
        statistics.refresh(dsl); // a plan made for stale statistics can take minutes instead of seconds
        FatiguePolicy fatigue = campaign.fatigue(global);
        CampaignTrigger trigger = campaign.definition().trigger();
        // higher-priority campaigns whose next survey of a contact is known in advance (look-ahead)
        List<PlannerQueries.Ahead> ahead = new ArrayList<>();
        for (PlanCampaign other : campaigns(dsl)) {
            if (!other.isActive() || other.priority() <= campaign.priority() || other.id() == campaign.id()) {
                continue;
            }
            if (other.definition().trigger() instanceof CampaignTrigger.ContactDate) {
                ahead.add(new PlannerQueries.Ahead(other, other.fatigue(global)));
            } else if (other.definition().trigger() instanceof CampaignTrigger.Recurring recurring) {
                // every firing of its cron whose send window can be within reach of this invitation:
                // not yet joined by the contact, up to the look-ahead's horizon
                WaveSchedule fires = new WaveSchedule(recurring.cron());
                for (Instant fire : fires.firesBetween(at.minus(other.maxLateness()), lookAheadUntil(campaign, other, at))) {
                    ahead.add(new PlannerQueries.Ahead(other, other.fatigue(global), fire, fires.cycle(fire)));
                }
            }
        }
        var horizon = at.minus(campaign.maxLateness()).minus(LATE_MARGIN).atOffset(ZoneOffset.UTC);
        PlannerQueries.Candidates candidates = switch (trigger) {
            case CampaignTrigger.Onboarding onboarding -> new PlannerQueries.Candidates(PlannerQueries.ONBOARDING,
                    Map.of("offset", onboarding.offset().toPgInterval(), "horizon", horizon));
            case CampaignTrigger.Renewal renewal -> new PlannerQueries.Candidates(PlannerQueries.RENEWAL,
                    Map.of("offset", renewal.offset().toPgInterval(), "horizon", horizon));
            case CampaignTrigger.Event event -> new PlannerQueries.Candidates(PlannerQueries.EVENT,
                    Map.of("offset", event.delay() == null ? "0 seconds" : event.delay().toPgInterval(),
                            "event_name", event.event(), "horizon", horizon));
            case CampaignTrigger.Recurring recurring -> null; // waves: below
        };
        if (candidates != null) {
            // lifecycle triggers: the contacts whose trigger is due now, in one statement
            return List.of(tx -> {
                PlanCounts counts = new PlanCounts();
                queries.plan(tx, campaign, at, now, candidates, 0, Long.MAX_VALUE, fatigue, ahead, counts);
                return counts;
            });
        }
        var recurring = (CampaignTrigger.Recurring) trigger;
        WaveSchedule waves = new WaveSchedule(recurring.cron());
        Duration spread = recurring.spreadLength();
        List<PlannerQueries.Candidates> due = new ArrayList<>();
        for (Instant fire : waves.due(at, campaign.maxLateness())) {
            due.add(new PlannerQueries.Candidates(PlannerQueries.WAVE, Map.of(
                    "cycle", waves.cycle(fire),
                    "fire", fire.atOffset(ZoneOffset.UTC),
                    "spread", spread.toSeconds() + " seconds",
                    "position", spread.isZero() ? DSL.field("0::float8") : DSL.field(PlannerQueries.SPREAD_POSITION))));
        }
        long[] span = due.isEmpty() ? null : queries.contactIdSpan(dsl);
        if (span == null) {
            return List.of();
        }
        // fixed ranges of ids (not of the current contacts), so a contact is always in the same batch
        List<Function<DSLContext, PlanCounts>> batches = new ArrayList<>();
        for (long k = span[0] / waveBatch; k <= span[1] / waveBatch; k++) {
            long lo = k * waveBatch;
            long hi = lo + waveBatch;
            batches.add(tx -> {
                PlanCounts counts = new PlanCounts();
                for (PlannerQueries.Candidates wave : due) { // waves fired in order, for the same contacts
                    queries.plan(tx, campaign, at, now, wave, lo, hi, fatigue, ahead, counts);
                }
                return counts;
            });
        }
        return batches;
    }

    /**
     * The firings of a higher-priority recurring campaign looked ahead for an invitation of
     * {@code campaign} at {@code at}: those within the minimum gap after its latest possible send
     * (its expiry), the ones it could take the room of.
     */
    private Instant lookAheadUntil(PlanCampaign campaign, PlanCampaign other, Instant at) {
        long days = Math.max(campaign.fatigue(global).minDaysBetweenSurveys(), other.fatigue(global).minDaysBetweenSurveys());
        return at.plus(campaign.expiresAfter().approximate()).plus(Duration.ofDays(days + 1));
    }

    /** Why the contact is (or is not) invited by the campaign, as text. */
    public String explain(DSLContext tx, PlanCampaign campaign, String externalId) {
        return queries.explain(tx, campaign, externalId);
    }

    /**
     * Analyses the planning tables whose statistics are stale (see {@link PlannerStatistics}).
     * Planning, expiry and reminders do it themselves; a caller that runs them in a transaction
     * calls this first, outside it, so the ANALYZE's lock (which only keeps other ANALYZE, VACUUM
     * and DDL out) is not held until its commit.
     */
    public void refreshStatistics(DSLContext dsl) {
        statistics.refresh(dsl);
    }

    /** Queues the reminder steps of the campaign that fall due at {@code at}. */
    public PlanCounts remind(DSLContext tx, PlanCampaign campaign, Instant at, Instant now) {
        statistics.refresh(tx);
        PlanCounts counts = new PlanCounts();
        int maxPerWeek = campaign.fatigue(global).maxMessagesPerWeek();
        for (int step = 1; step <= campaign.definition().reminders().size(); step++) {
            reminders.remind(tx, campaign, step, at, now, counts, maxPerWeek);
        }
        return counts;
    }

    /**
     * Queues the campaign's promoter follow-up emails that fall due at {@code at} (none without
     * {@code follow-up.promoter-email}); counts those queued, and by reason those that will not go.
     */
    public PlanCounts followUpPromoters(DSLContext tx, PlanCampaign campaign, Instant at, Instant now) {
        PlanCounts counts = new PlanCounts();
        promoterEmails.queue(tx, campaign, at, now, campaign.fatigue(global).maxMessagesPerWeek())
                .forEach(counts::addPromoterEmails);
        return counts;
    }

    /** Expires the open invitations of every campaign whose time is up, cancelling their queued messages. */
    public PlanCounts expire(DSLContext tx, Instant at, Instant now) {
        statistics.refresh(tx);
        PlanCounts counts = new PlanCounts();
        counts.addExpired(reminders.expire(tx, at, now));
        return counts;
    }
}
