package io.surveycast.dispatch;

import io.surveycast.campaign.SendWindow;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * The send window of a channel in the recipient's zone, in java.time: the campaign's window and,
 * for SMS, never before 08:00 or after 21:00. The same rule the planner applies in SQL, checked
 * again just before a message goes out (it may have waited in the queue past its window).
 */
record SendWindowClock(Set<DayOfWeek> days, LocalTime opens, LocalTime closes) {
    private static final LocalTime SMS_EARLIEST = LocalTime.of(8, 0);
    private static final LocalTime SMS_LATEST = LocalTime.of(21, 0);

    static SendWindowClock of(String sendWindow, String channel) {
        SendWindow window = sendWindow == null ? null : SendWindow.parse(sendWindow);
        Set<DayOfWeek> days = window == null ? EnumSet.allOf(DayOfWeek.class) : window.days();
        LocalTime opens = window == null ? LocalTime.MIN : window.opens();
        LocalTime closes = window == null ? LocalTime.MAX : window.closes();
        if (channel.equals("sms")) {
            opens = opens.isBefore(SMS_EARLIEST) ? SMS_EARLIEST : opens;
            closes = closes.isAfter(SMS_LATEST) ? SMS_LATEST : closes;
        }
        return new SendWindowClock(days, opens, closes);
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

    boolean limitsSmsHours() {
        return !opens.equals(LocalTime.MIN) || !closes.equals(LocalTime.MAX);
    }
}
