package io.surveycast.dispatch;

import io.surveycast.audit.AuditLog;
import io.surveycast.config.InvalidInputException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jooq.DSLContext;

/** What was sent to whom, when and why; the dead letters; and sending them again. */
public final class MessageLog {
    private final DSLContext dsl;
    private final Clock clock;
    private final MessageLogQueries queries = new MessageLogQueries();

    public MessageLog(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    public void export(Instant from, Instant to, Consumer<MessageLogEntry> each) {
        queries.export(dsl, from, to, each);
    }

    public List<MessageLogEntry> failed() {
        return queries.failed(dsl);
    }

    /**
     * Puts failed messages back in the queue (all of them when {@code ids} is null), to be sent
     * at once, with the checks before sending applied again. An id that is not a failed message is
     * an input error and nothing is changed.
     */
    public List<Long> retry(List<Long> ids, String actor) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            List<Long> requeued = queries.retry(tx, ids, clock.instant());
            if (ids != null) {
                TreeSet<Long> missing = new TreeSet<>(ids);
                requeued.forEach(missing::remove);
                if (!missing.isEmpty()) {
                    throw new InvalidInputException("messages retry: not a failed message: "
                            + missing.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse(""));
                }
            }
            new AuditLog(clock).record(tx, actor, "retry", "message", null,
                    Map.of("messages", requeued.size(), "ids", ids == null ? "all" : ids));
            return requeued;
        });
    }
}
