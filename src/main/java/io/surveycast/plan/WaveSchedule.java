package io.surveycast.plan;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.quartz.CronExpression;

/** The waves of a recurring campaign: the fire times of its cron in the campaign's time zone. */
public final class WaveSchedule {
    private final CronExpression cron;
    private final ZoneId zone;

    public WaveSchedule(String expression, ZoneId zone) {
        try {
            this.cron = new CronExpression(expression);
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad cron " + expression, e);
        }
        this.cron.setTimeZone(TimeZone.getTimeZone(zone));
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Fire times in (from, to]. */
    public List<Instant> firesBetween(Instant from, Instant to) {
        List<Instant> fires = new ArrayList<>();
        Date next = cron.getNextValidTimeAfter(Date.from(from));
        while (next != null && !next.toInstant().isAfter(to)) {
            fires.add(next.toInstant());
            next = cron.getNextValidTimeAfter(next);
        }
        return fires;
    }

    /** Fire times a planner at {@code at} still acts on: those within the lateness before it. */
    List<Instant> due(Instant at, Duration lateness) {
        return firesBetween(at.minus(lateness), at);
    }

    /** The cycle key of the wave fired at {@code fire}: its local date. */
    public String cycle(Instant fire) {
        return "wave:" + fire.atZone(zone).toLocalDate();
    }
}
