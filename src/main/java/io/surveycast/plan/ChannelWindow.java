package io.surveycast.plan;

import io.surveycast.campaign.SendWindow;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Set;

/**
 * When a channel may send, in the recipient's local time: the campaign's send window, and for
 * SMS also never before 08:00 or after 21:00; {@link #sql()} applies it to a planned instant.
 */
record ChannelWindow(int allowedDays, Integer[] nextDay, LocalTime opens, LocalTime closes) {
    /** The window of a channel: {@code quietHours} adds the SMS limits. */
    static ChannelWindow of(SendWindow window, boolean quietHours) {
        SendWindow effective = SendWindow.forChannel(window, quietHours ? "sms" : "email");
        return of(effective.days(), effective.opens(), effective.closes());
    }

    private static ChannelWindow of(Set<DayOfWeek> days, LocalTime opens, LocalTime closes) {
        int mask = 0;
        for (DayOfWeek day : days) {
            mask |= 1 << (day.getValue() - 1);
        }
        Integer[] next = new Integer[7];
        for (int d = 1; d <= 7; d++) {
            int k = 1;
            while (k < 8 && (mask >> ((d - 1 + k) % 7) & 1) == 0) {
                k++;
            }
            next[d - 1] = k;
        }
        return new ChannelWindow(mask, next, opens, closes);
    }

    /**
     * The first instant at or after {@code f.allowed} inside this window, as a SQL expression over
     * the row's local time {@code f.l} ({@code f.allowed at time zone f.tz}), its ISO day
     * {@code f.dow} and zone {@code f.tz}. Inline rather than a function call: per row, a call
     * costs more than the rest of the decision.
     */
    org.jooq.Field<java.time.OffsetDateTime> sql() {
        if (isAlways()) {
            return org.jooq.impl.DSL.field("f.allowed", java.time.OffsetDateTime.class);
        }
        var opens = org.jooq.impl.DSL.val(this.opens);
        return org.jooq.impl.DSL.field("""
                case when ({0} >> (f.dow - 1)) & 1 = 1 and f.l::time < {1} then (f.l::date + {1}) at time zone f.tz
                     when ({0} >> (f.dow - 1)) & 1 = 1 and f.l::time < {2} then f.allowed
                     else ((f.l::date + ({3}::integer[])[f.dow]) + {1}) at time zone f.tz
                end""", java.time.OffsetDateTime.class, org.jooq.impl.DSL.val(allowedDays), opens,
                org.jooq.impl.DSL.val(this.closes), org.jooq.impl.DSL.val(nextDay));
    }

    /**
     * The first instant at or after {@code f.allowed} inside this window in every zone of
     * {@code f.zones}, or null when they have no common opening within 8 days (a function call:
     * only for contacts with several candidate zones).
     */
    org.jooq.Field<java.time.OffsetDateTime> inAllZones() {
        if (isAlways()) {
            return org.jooq.impl.DSL.field("f.allowed", java.time.OffsetDateTime.class);
        }
        return org.jooq.impl.DSL.field("window_in_zones(f.allowed, f.zones, {0}, {1}::integer[], {2}, {3})",
                java.time.OffsetDateTime.class, org.jooq.impl.DSL.val(allowedDays), org.jooq.impl.DSL.val(nextDay),
                org.jooq.impl.DSL.val(opens), org.jooq.impl.DSL.val(closes));
    }

    boolean isAlways() {
        return allowedDays == 0x7f && opens.equals(LocalTime.MIN) && closes.equals(LocalTime.MAX);
    }
}
