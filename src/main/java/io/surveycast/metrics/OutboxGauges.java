package io.surveycast.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The gauges that read the database: outbox depth per channel and status, the age of the oldest due
 * message per channel, the notification outbox, and whether the last reading could be made. All
 * of them share one {@link CachedReading}, so a scrape costs at most two indexed statements, and
 * none at all within a few seconds of the last one. While the database cannot be read the figures
 * are NaN (an alert on them neither fires nor clears on a guess) and {@code up} is 0. The gauges
 * hold the reading strongly: Micrometer's default weak reference lets it be collected, after which
 * every figure reads NaN.
 */
final class OutboxGauges {
    static final List<String> CHANNELS = List.of("email", "sms");
    static final List<String> STATUSES = List.of("due", "claimed", "scheduled");

    private OutboxGauges() {
    }

    static void register(MeterRegistry registry, CachedReading<OutboxReading> reading, Clock clock) {
        for (String channel : CHANNELS) {
            for (String status : STATUSES) {
                gauge(registry, "surveycast.outbox.messages", "Queued messages by channel and status: due (waiting for"
                        + " a dispatcher), claimed (in a batch a dispatcher holds), scheduled (due later)", reading,
                        r -> switch (status) {
                            case "due" -> r.channel(channel).due();
                            case "claimed" -> r.channel(channel).claimed();
                            default -> r.channel(channel).scheduled();
                        }, "channel", channel, "status", status);
            }
            Gauge.builder("surveycast.outbox.oldest.due.age", reading, cached -> {
                OutboxReading r = cached.get();
                if (!r.available()) {
                    return Double.NaN;
                }
                Instant oldest = r.channel(channel).oldestDue();
                return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
            }).description("How long the oldest queued message of the channel has been due (0 when none is due)")
                    .baseUnit("seconds").tags("channel", channel).strongReference(true).register(registry);
        }
        for (String status : List.of("due", "scheduled")) {
            gauge(registry, "surveycast.notification.outbox", "Queued notifications (webhooks, detractor alerts): due,"
                    + " or scheduled for a retry", reading,
                    r -> status.equals("due") ? r.notificationsDue() : r.notificationsScheduled(), "status", status);
        }
        Gauge.builder("surveycast.metrics.database.up", reading, cached -> cached.get().available() ? 1 : 0)
                .description("1 when the last reading of the outbox figures reached the database, else 0")
                .strongReference(true).register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, String description, CachedReading<OutboxReading> reading,
                              ToDoubleFunction<OutboxReading> figure, String... tags) {
        Gauge.builder(name, reading, cached -> {
            OutboxReading r = cached.get();
            return r.available() ? figure.applyAsDouble(r) : Double.NaN;
        }).description(description).tags(tags).strongReference(true).register(registry);
    }
}
