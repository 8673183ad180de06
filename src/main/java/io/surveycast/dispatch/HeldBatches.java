package io.surveycast.dispatch;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batches this node holds with messages whose outcome is not yet recorded. While the node
 * lives it renews them every quarter lease ({@link #renewAll}), also while a provider call is in
 * flight; once every outcome of a batch is recorded, the batch is let go. A release that fails
 * (the database away) leaves the batch to its lease: its messages are not held for longer.
 */
final class HeldBatches {
    private static final Logger LOG = LoggerFactory.getLogger(HeldBatches.class);
    private final DSLContext dsl;
    private final OutboxQueries queries;
    private final Set<Batch> held = ConcurrentHashMap.newKeySet();

    HeldBatches(DSLContext dsl, OutboxQueries queries) {
        this.dsl = dsl;
        this.queries = queries;
    }

    void hold(Batch batch) {
        held.add(batch);
    }

    /** One message of the batch has its outcome recorded (or left the batch); the last lets it go. */
    void finished(Batch batch) {
        if (batch.oneDone()) {
            held.remove(batch);
            try {
                queries.release(dsl, batch.name());
            } catch (RuntimeException e) {
                LOG.warn("batch {}: cannot let it go yet ({}); its lease will", batch.name(), e.getMessage());
            }
        }
    }

    /** Renews every batch held; a batch taken over meanwhile is not renewed (its sends confirm first). */
    void renewAll() {
        for (Batch batch : held) {
            long sentAt = System.nanoTime();
            if (batch.isOpen() && queries.hold(dsl, batch.name(), batch.lease())) {
                batch.renewed(batch.lease(), sentAt);
            }
        }
    }
}
