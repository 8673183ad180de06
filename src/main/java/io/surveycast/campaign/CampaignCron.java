package io.surveycast.campaign;

import com.fasterxml.jackson.annotation.JsonValue;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.Objects;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * A recurring campaign's Quartz cron expression, parsed once when the campaign is read, firing
 * in the campaign's time zone. Quartz's {@link CronExpression} is mutable (its time zone), so it
 * never leaves this class: Quartz triggers get a copy of their own.
 */
public final class CampaignCron {
    private final String expression;
    private final CronExpression cron;
    private final ZoneId zone;

    /** Takes over {@code parsed} (just built by {@link #parse}, seen by nobody else) and sets its zone. */
    CampaignCron(String expression, CronExpression parsed, ZoneId zone) {
        parsed.setTimeZone(TimeZone.getTimeZone(zone));
        this.expression = expression;
        this.cron = parsed;
        this.zone = zone;
    }

    /** @throws ParseException when the expression is not a valid Quartz cron */
    static CronExpression parse(String expression) throws ParseException {
        return new CronExpression(expression);
    }

    /** The expression as written, e.g. {@code 0 0 10 ? JAN,APR,JUL,OCT TUE#1}. */
    @JsonValue
    public String expression() {
        return expression;
    }

    /** The zone the expression's times are in: the campaign's, else UTC. */
    public ZoneId zone() {
        return zone;
    }

    /** The first fire time strictly after {@code t}, or null when there is none. */
    public Instant nextAfter(Instant t) {
        Date next = cron.getNextValidTimeAfter(Date.from(t));
        return next == null ? null : next.toInstant();
    }

    /** A copy for a Quartz trigger, which keeps (and sets the zone of) the expression it is given. */
    public CronExpression quartz() {
        return new CronExpression(cron);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CampaignCron other && expression.equals(other.expression) && zone.equals(other.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expression, zone);
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}
