package io.surveycast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.surveycast.dispatch.DispatchCounts;
import java.util.Map;

/**
 * {@code surveycast_messages_total{channel, outcome}}: what became of the messages this node
 * dispatched, added from each pass's counts once the pass is over (the dispatch route calls it), so
 * the send path itself pays for no meter.
 */
public final class DispatchMeters {
    private final MeterRegistry registry;

    DispatchMeters(MeterRegistry registry) {
        this.registry = registry;
        for (String channel : OutboxGauges.CHANNELS) {
            for (String outcome : DispatchCounts.OUTCOMES) {
                counter(channel, outcome); // every series from the start: rate() needs a first sample
            }
        }
    }

    public DispatchCounts record(DispatchCounts counts) {
        for (Map.Entry<String, Map<String, Long>> channel : counts.byChannel().entrySet()) {
            channel.getValue().forEach((outcome, n) -> counter(channel.getKey(), outcome).increment(n));
        }
        return counts;
    }

    private Counter counter(String channel, String outcome) {
        return Counter.builder("surveycast.messages").description("Messages dispatched by this node, by channel and outcome")
                .tags("channel", channel, "outcome", outcome).register(registry);
    }
}
