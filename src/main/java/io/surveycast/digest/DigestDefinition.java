package io.surveycast.digest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.surveycast.report.SegmentFilter;
import java.text.ParseException;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * One digest as applied: its name, when it is sent (a Quartz cron in a time zone), the period it
 * covers (days, weeks or months up to the day it is sent), its filter (a campaign, attribute
 * values as {@code report --where}) and its recipients (email addresses and webhook URLs).
 */
record DigestDefinition(String name, String cron, String timezone, String period, String campaign,
                        Map<String, List<String>> attributes, List<String> to) {

    DigestDefinition {
        // sorted, so the stored JSON (and its hash: "unchanged" on re-apply) does not depend on Map.copyOf's order
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(attributes));
        to = List.copyOf(to);
    }

    @JsonIgnore
    ZoneId zone() {
        return ZoneId.of(timezone);
    }

    @JsonIgnore
    Period length() {
        return Period.parse(period);
    }

    @JsonIgnore
    SegmentFilter segment() {
        return new SegmentFilter(attributes.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> Set.copyOf(e.getValue()))));
    }

    @JsonIgnore
    List<String> emails() {
        return to.stream().filter(t -> !isUrl(t)).toList();
    }

    @JsonIgnore
    List<String> webhooks() {
        return to.stream().filter(DigestDefinition::isUrl).toList();
    }

    static boolean isUrl(String recipient) {
        String lower = recipient.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /**
     * The last firing of the cron at or before {@code at} and after {@code since}, or null: found by
     * stepping forwards from {@code since} (Quartz has no "previous fire time").
     */
    Instant lastFiring(Instant since, Instant at) {
        CronExpression expression;
        try {
            expression = new CronExpression(cron);
        } catch (ParseException e) {
            throw new IllegalStateException("digest " + name + ": stored cron is not valid: " + cron, e);
        }
        expression.setTimeZone(TimeZone.getTimeZone(zone()));
        Instant last = null;
        Date next = expression.getNextValidTimeAfter(Date.from(since));
        while (next != null && !next.toInstant().isAfter(at)) {
            last = next.toInstant();
            next = expression.getNextValidTimeAfter(next);
        }
        return last;
    }
}
