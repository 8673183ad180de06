package io.surveycast.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.campaign.CampaignDefinition;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.campaign.IsoOffset;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * Decides who is invited, on which channel and when, for a campaign at an instant: the due
 * cycles of its trigger, then audience, sample, consent, fatigue and send window, all in one
 * set-based statement per cycle source. Planning the same instant twice inserts nothing new.
 */
public final class Planner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FatiguePolicy global;
    private final PlannerQueries queries = new PlannerQueries();
    private final ReminderQueries reminders = new ReminderQueries();

    public Planner(FatiguePolicy global) {
        this.global = global;
    }

    /** Every campaign, highest priority first (the order collisions are decided in). */
    public List<PlanCampaign> campaigns(DSLContext dsl) {
        return queries.campaigns(dsl, Planner::definition);
    }

    /** Takes the cluster-wide planning lock for the rest of the transaction. */
    public void lock(DSLContext tx) {
        queries.lock(tx);
    }

    /** Plans whatever of the campaign is due at {@code at}; {@code now} stamps the rows. */
    public PlanCounts plan(DSLContext tx, PlanCampaign campaign, Instant at, Instant now) {
        PlanCounts counts = new PlanCounts();
        FatiguePolicy fatigue = campaign.fatigue(global);
        var trigger = campaign.definition().trigger();
        switch (trigger.type()) {
            case "onboarding" -> queries.plan(tx, campaign, at, now, PlannerQueries.ONBOARDING,
                    Map.of("offset", IsoOffset.parse(trigger.offset()).toPgInterval()), fatigue, counts);
            case "renewal" -> queries.plan(tx, campaign, at, now, PlannerQueries.RENEWAL,
                    Map.of("offset", IsoOffset.parse(trigger.offset()).toPgInterval()), fatigue, counts);
            case "event" -> queries.plan(tx, campaign, at, now, PlannerQueries.EVENT,
                    Map.of("offset", trigger.delay() == null ? "0 seconds" : IsoOffset.parse(trigger.delay()).toPgInterval(),
                            "event_name", trigger.event()), fatigue, counts);
            case "recurring" -> {
                WaveSchedule waves = new WaveSchedule(trigger.cron(), campaign.zone());
                Duration spread = trigger.spread() == null ? Duration.ZERO : IsoOffset.parse(trigger.spread()).approximate();
                for (Instant fire : waves.due(at, campaign.maxLateness())) {
                    queries.plan(tx, campaign, at, now, PlannerQueries.WAVE, Map.of(
                            "cycle", waves.cycle(fire),
                            "fire", fire.atOffset(ZoneOffset.UTC),
                            "spread", spread.toSeconds() + " seconds"), fatigue, counts);
                }
            }
            default -> throw new IllegalStateException("unknown trigger " + trigger.type());
        }
        return counts;
    }

    /** Why the contact is (or is not) invited by the campaign, as text. */
    public String explain(DSLContext tx, PlanCampaign campaign, String externalId) {
        return queries.explain(tx, campaign, externalId);
    }

    /** Queues the reminder steps of the campaign that fall due at {@code at}. */
    public PlanCounts remind(DSLContext tx, PlanCampaign campaign, Instant at, Instant now) {
        PlanCounts counts = new PlanCounts();
        int maxPerWeek = campaign.fatigue(global).maxMessagesPerWeek();
        for (int step = 1; step <= campaign.definition().reminders().size(); step++) {
            reminders.remind(tx, campaign, step, at, now, counts, maxPerWeek);
        }
        return counts;
    }

    /** Expires the open invitations of every campaign whose time is up, cancelling their queued messages. */
    public PlanCounts expire(DSLContext tx, Instant at, Instant now) {
        PlanCounts counts = new PlanCounts();
        counts.addExpired(reminders.expire(tx, at, now));
        return counts;
    }

    static CampaignDefinition definition(String json) {
        try {
            return JSON.readValue(json, CampaignDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored campaign definition is unreadable: " + e.getMessage(), e);
        }
    }
}
