package io.surveycast.plan;

import io.surveycast.campaign.CampaignCron;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** The waves of a recurring campaign: the fire times of its cron in the campaign's time zone. */
public final class WaveSchedule {
    private final CampaignCron cron;

    public WaveSchedule(CampaignCron cron) {
        this.cron = cron;
    }

    public ZoneId zone() {
        return cron.zone();
    }

    /** Fire times in (from, to]. */
    public List<Instant> firesBetween(Instant from, Instant to) {
        List<Instant> fires = new ArrayList<>();
        Instant next = cron.nextAfter(from);
        while (next != null && !next.isAfter(to)) {
            fires.add(next);
            next = cron.nextAfter(next);
        }
        return fires;
    }

    /** Fire times a planner at {@code at} still acts on: those within the lateness before it. */
    List<Instant> due(Instant at, Duration lateness) {
        return firesBetween(at.minus(lateness), at);
    }

    /** The cycle key of the wave fired at {@code fire}: its local date. */
    public String cycle(Instant fire) {
        return "wave:" + fire.atZone(cron.zone()).toLocalDate();
    }
}
