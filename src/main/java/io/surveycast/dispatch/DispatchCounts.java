package io.surveycast.dispatch;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What dispatching did: sent per channel, and failed, retried, deferred and cancelled messages by reason. */
public final class DispatchCounts {
    private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> retried = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> deferred = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> cancelled = new ConcurrentHashMap<>();
    /** Per channel and outcome (one of {@link #OUTCOMES}), keyed "channel outcome". */
    private final Map<String, AtomicLong> byChannel = new ConcurrentHashMap<>();

    /** What can become of a claimed message in a pass. */
    public static final java.util.List<String> OUTCOMES = java.util.List.of("sent", "failed", "retried", "deferred", "cancelled");

    void sent(String channel) {
        add(sent, channel, 1);
        add(byChannel, channel + " sent", 1);
    }

    void failed(String channel) {
        add(failed, channel, 1);
        add(byChannel, channel + " failed", 1);
    }

    void retried(String channel) {
        add(retried, channel, 1);
        add(byChannel, channel + " retried", 1);
    }

    void deferred(String channel, String reason) {
        add(deferred, reason, 1);
        add(byChannel, channel + " deferred", 1);
    }

    void cancelled(String channel, String reason) {
        add(cancelled, reason, 1);
        add(byChannel, channel + " cancelled", 1);
    }

    public void addAll(DispatchCounts other) {
        other.sent.forEach((k, v) -> add(sent, k, v.get()));
        other.failed.forEach((k, v) -> add(failed, k, v.get()));
        other.retried.forEach((k, v) -> add(retried, k, v.get()));
        other.deferred.forEach((k, v) -> add(deferred, k, v.get()));
        other.cancelled.forEach((k, v) -> add(cancelled, k, v.get()));
        other.byChannel.forEach((k, v) -> add(byChannel, k, v.get()));
    }

    /** Outcomes per channel: channel to outcome to count, only those that happened. */
    public Map<String, Map<String, Long>> byChannel() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        byChannel.forEach((key, n) -> {
            int space = key.indexOf(' ');
            out.computeIfAbsent(key.substring(0, space), c -> new TreeMap<>()).put(key.substring(space + 1), n.get());
        });
        return out;
    }


    public Map<String, Long> sent() {
        return snapshot(sent);
    }

    public Map<String, Long> failed() {
        return snapshot(failed);
    }

    public Map<String, Long> retried() {
        return snapshot(retried);
    }

    public Map<String, Long> deferred() {
        return snapshot(deferred);
    }

    public Map<String, Long> cancelled() {
        return snapshot(cancelled);
    }

    public long total() {
        return sent.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private static void add(Map<String, AtomicLong> map, String key, long n) {
        map.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(n);
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> map) {
        Map<String, Long> copy = new TreeMap<>();
        map.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }
}
