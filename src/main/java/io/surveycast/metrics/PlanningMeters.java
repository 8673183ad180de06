package io.surveycast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.surveycast.plan.PlanCounts;
import java.util.Map;

/** What the due-scans of this node planned, added from each scan's counts (the due-scan route calls it). */
public final class PlanningMeters {
    private final MeterRegistry registry;

    PlanningMeters(MeterRegistry registry) {
        this.registry = registry;
        for (String channel : OutboxGauges.CHANNELS) {
            counter("surveycast.planning.invitations", "Invitations planned, by channel", "channel", channel);
            counter("surveycast.planning.reminders", "Reminders queued, by channel", "channel", channel);
        }
        counter("surveycast.planning.expired", "Invitations expired");
    }

    public PlanCounts record(PlanCounts counts) {
        add(counts.invite(), "surveycast.planning.invitations", "Invitations planned, by channel", "channel");
        add(counts.skip(), "surveycast.planning.skips", "Invitations skipped, by reason", "reason");
        add(counts.defer(), "surveycast.planning.deferrals", "Invitations deferred, by reason", "reason");
        add(counts.remind(), "surveycast.planning.reminders", "Reminders queued, by channel", "channel");
        add(counts.remindSkip(), "surveycast.planning.reminder.skips", "Reminder steps cancelled, by reason", "reason");
        counter("surveycast.planning.expired", "Invitations expired").increment(counts.expired());
        return counts;
    }

    private void add(Map<String, Long> counts, String name, String description, String tag) {
        counts.forEach((key, n) -> counter(name, description, tag, key).increment(n));
    }

    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }
}
