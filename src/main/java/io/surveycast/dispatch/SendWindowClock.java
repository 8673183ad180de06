package io.surveycast.dispatch;

import io.surveycast.campaign.SendWindow;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * The send window of a channel in the recipient's zone, in java.time: the campaign's window and,
 * for SMS, never before 08:00 or after 21:00. The same rule the planner applies in SQL, checked
 * again just before a message goes out (it may have waited in the queue past its window).
 */
record SendWindowClock(Set<DayOfWeek> days, LocalTime opens, LocalTime closes) {
    static SendWindowClock of(SendWindow sendWindow, String channel) {
        SendWindow window = SendWindow.forChannel(sendWindow, channel);
        return new SendWindowClock(window.days(), window.opens(), window.closes());
    }

    /**
     * The first instant at or after {@code t} inside the window in every one of {@code zones}, or
     * null when they have no common opening within 8 days (the planner's SQL window_in_zones).
     */
    Instant nextInAll(Instant t, java.util.List<ZoneId> zones) {
        Instant a = t;
        for (int round = 0; round <= 60 && !a.isAfter(t.plus(java.time.Duration.ofDays(8))); round++) {
            Instant b = a;
            for (ZoneId zone : zones) {
                b = next(b, zone);
            }
            if (b.equals(a)) {
                return a;
            }
            a = b;
        }
        return null;
    }

    /** {@code t} itself when it is inside the window, else the window's next opening. */
    Instant next(Instant t, ZoneId zone) {
        ZonedDateTime local = t.atZone(zone);
        LocalDate today = local.toLocalDate();
        for (int d = 0; d <= 7; d++) {
            LocalDate date = today.plusDays(d);
            if (!days.contains(date.getDayOfWeek())) {
                continue;
            }
            if (d == 0) {
                LocalTime time = local.toLocalTime();
                if (time.isBefore(opens)) {
                    return ZonedDateTime.of(date, opens, zone).toInstant();
                }
                if (closes.equals(LocalTime.MAX) || time.isBefore(closes)) {
                    return t;
                }
                continue;
            }
            return ZonedDateTime.of(date, opens, zone).toInstant();
        }
        throw new IllegalStateException("a send window without days");
    }
}
