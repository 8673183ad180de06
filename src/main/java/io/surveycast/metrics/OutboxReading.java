package io.surveycast.metrics;

import java.time.Instant;
import java.util.Map;

/**
 * The outbox as one reading saw it: per channel its due (not in a batch), claimed (in a batch a
 * dispatcher holds) and scheduled messages and the oldest due one's due time; the notification
 * outbox's due and scheduled rows. {@code available} is false when the database could not be read.
 */
record OutboxReading(boolean available, Map<String, Channel> channels, long notificationsDue,
                     long notificationsScheduled) {

    record Channel(long due, long claimed, long scheduled, Instant oldestDue) {
        static final Channel EMPTY = new Channel(0, 0, 0, null);
    }

    static final OutboxReading UNAVAILABLE = new OutboxReading(false, Map.of(), 0, 0);

    Channel channel(String name) {
        return channels.getOrDefault(name, Channel.EMPTY);
    }
}
