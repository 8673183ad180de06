package io.surveycast.campaign;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Days and hours, in the recipient's local time, when a campaign may send: {@code MON-FRI 09:00-17:00}.
 *
 * @param text as written (and stored: a stored definition hashes as it did when it was applied)
 */
public record SendWindow(Set<DayOfWeek> days, LocalTime opens, LocalTime closes, @JsonValue String text) {
    private static final List<String> DAY_NAMES = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");

    public SendWindow {
        days = Collections.unmodifiableSet(EnumSet.copyOf(days));
    }

    /** A window not written by anyone (a channel's effective window): its text is made from its days and hours. */
    public SendWindow(Set<DayOfWeek> days, LocalTime opens, LocalTime closes) {
        this(days, opens, closes, days.stream().map(d -> DAY_NAMES.get(d.getValue() - 1))
                .collect(java.util.stream.Collectors.joining(",")) + " " + opens + "-" + closes);
    }

    /** @throws IllegalArgumentException with a message fit for the user */
    public static SendWindow parse(String text) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected DAYS HH:MM-HH:MM, e.g. MON-FRI 09:00-17:00");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : parts[0].toUpperCase(Locale.ROOT).split(",")) {
            String[] range = item.split("-");
            if (range.length > 2) {
                throw new IllegalArgumentException("bad day range " + item);
            }
            int from = day(range[0]);
            int to = range.length == 2 ? day(range[1]) : from;
            for (int d = from; ; d = (d + 1) % 7) {
                days.add(DayOfWeek.of(d + 1));
                if (d == to) {
                    break;
                }
            }
        }
        String[] hours = parts[1].split("-");
        if (hours.length != 2) {
            throw new IllegalArgumentException("expected hours as HH:MM-HH:MM, got " + parts[1]);
        }
        LocalTime opens = time(hours[0]);
        LocalTime closes = time(hours[1]);
        if (!closes.isAfter(opens)) {
            throw new IllegalArgumentException("the window must close after it opens (" + parts[1] + ")");
        }
        return new SendWindow(days, opens, closes, text);
    }

    /**
     * When a channel may send: the campaign's window (null: any time) and, for SMS, never before
     * 08:00 or after 21:00 local time.
     */
    public static SendWindow forChannel(SendWindow window, String channel) {
        Set<DayOfWeek> days = window == null ? EnumSet.allOf(DayOfWeek.class) : window.days();
        LocalTime opens = window == null ? LocalTime.MIN : window.opens();
        LocalTime closes = window == null ? LocalTime.MAX : window.closes();
        if (channel.equals("sms")) {
            opens = opens.isBefore(SMS_EARLIEST) ? SMS_EARLIEST : opens;
            closes = closes.isAfter(SMS_LATEST) ? SMS_LATEST : closes;
            if (!closes.isAfter(opens)) {
                throw new IllegalArgumentException("the send window leaves no time between 08:00 and 21:00 for SMS");
            }
        }
        return new SendWindow(days, opens, closes);
    }

    @Override
    public String toString() {
        return text;
    }

    private static final LocalTime SMS_EARLIEST = LocalTime.of(8, 0);
    private static final LocalTime SMS_LATEST = LocalTime.of(21, 0);

    private static int day(String name) {
        int index = DAY_NAMES.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("unknown day " + name + " (use " + String.join(", ", DAY_NAMES) + ")");
        }
        return index;
    }

    private static LocalTime time(String text) {
        if (text.equals("24:00")) {
            return LocalTime.MAX;
        }
        try {
            return LocalTime.parse(text.length() == 4 ? "0" + text : text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time of day (HH:MM): " + text);
        }
    }
}
