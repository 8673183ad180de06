package io.surveycast.theme;

import static io.surveycast.db.Tables.RESPONSE_SENTIMENT;
import static io.surveycast.db.Tables.RESPONSE_THEME;
import static io.surveycast.db.Tables.THEME_QUEUE;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.support.ApiServer;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stopping the served app while the tagging route is inside a batch of comments for the model:
 * the tagger stops taking work and its batch ends before Camel's graceful shutdown runs out, so
 * no thread is left inside ONNX Runtime (whose native code crashed the JVM when the process
 * exited under it), and the batch in hand was either tagged whole or left queued whole.
 */
class ThemeTaggingShutdownTest {
    /** Comments no keyword rule tags: each goes to the model, several batches of work. */
    static final int COMMENTS = 1500;

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void stoppingMidBatchLeavesNoThreadInTheModelAndTheBatchQueued() throws Exception {
        Fixtures.examples(db.dsl(), ApiServer.CLOCK);
        ThemeTaggingBenchmark.load(db.dsl(), COMMENTS, COMMENTS, List.of("The website was unavailable for most of the afternoon"));
        assertThat(db.dsl().fetchCount(THEME_QUEUE)).isEqualTo(COMMENTS);
        ApiServer server = new ApiServer(db);
        try {
            // Camel's graceful shutdown waits this long for an exchange in flight, then forces it
            server.context().getShutdownStrategy().setTimeout(4);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!(insideModel() && db.dsl().fetchCount(RESPONSE_SENTIMENT) > 0)) {
                assertThat(System.nanoTime()).as("a batch in the model").isLessThan(deadline);
                Thread.sleep(50);
            }
        } finally {
            server.close();
        }
        assertThat(insideModel()).as("a thread still inside ONNX Runtime after the stop").isFalse();

        int queued = db.dsl().fetchCount(THEME_QUEUE);
        int tagged = db.dsl().fetchCount(RESPONSE_SENTIMENT);
        assertThat(queued).as("stopped mid-way").isPositive();
        assertThat(tagged + queued).as("every comment tagged or still queued, never both").isEqualTo(COMMENTS);
        assertThat(tagged % ThemeTagging.BATCH).as("whole batches only").isZero();
        assertThat(db.dsl().fetchCount(RESPONSE_THEME, RESPONSE_THEME.RESPONSE_ID.in(
                db.dsl().select(THEME_QUEUE.RESPONSE_ID).from(THEME_QUEUE)))).as("no tag of a queued comment").isZero();
        Map<Long, Instant> before = taggedAt();

        // the next run tags what was left, and only that (rules only here: quick)
        Clock later = Clock.fixed(Instant.parse("2027-02-01T00:00:00Z"), ZoneOffset.UTC);
        try (ThemeTagging next = new ThemeTagging(db.dsl(), later, 0.5, false)) {
            assertThat(next.drain(100)).isEqualTo(queued);
        }
        Map<Long, Instant> after = taggedAt();
        assertThat(after).hasSize(COMMENTS);
        before.forEach((id, at) -> assertThat(after.get(id)).as("tagged once: %s", id).isEqualTo(at));
        assertThat(db.dsl().fetchCount(THEME_QUEUE)).isZero();
    }

    private static boolean insideModel() {
        return Thread.getAllStackTraces().values().stream().anyMatch(stack -> Arrays.stream(stack)
                .anyMatch(frame -> frame.getClassName().startsWith("ai.onnxruntime.")));
    }

    private Map<Long, Instant> taggedAt() {
        return db.dsl().select(RESPONSE_SENTIMENT.RESPONSE_ID, RESPONSE_SENTIMENT.TAGGED_AT).from(RESPONSE_SENTIMENT)
                .fetch().stream().collect(Collectors.toMap(r -> r.value1(), r -> r.value2().toInstant()));
    }
}
