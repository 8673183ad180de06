package io.surveycast.theme;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works through the tagging queue: claims a batch of queued comments ({@code FOR UPDATE SKIP
 * LOCKED}, so several nodes share the work), tags them and removes them from the queue in the same
 * transaction, so a crash or a restart leaves them queued. The tagger is rebuilt when the theme set
 * changes. One caller at a time (a timer route, or a command); {@link #stopTaking} may come from
 * another thread: the batch in hand is abandoned between two calls of the model (rolled back, so
 * its comments stay queued for the next run: nothing lost, nothing tagged twice) and no new one is
 * claimed, so nothing is inside the model's native code when the process goes on to stop.
 */
public final class ThemeTagging implements AutoCloseable {
    static final int BATCH = 256;
    private static final Logger LOG = LoggerFactory.getLogger(ThemeTagging.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DSLContext dsl;
    private final Clock clock;
    private final double threshold;
    private final boolean useModel;
    private final ThemeQueries queries = new ThemeQueries();
    private final Stems stems = new Stems();
    /** Who puts the default themes in place, in the audit log. */
    public static final String DEFAULTS_ACTOR = "system:default-themes";
    private boolean defaultsChecked;
    private String version;
    private ThemeTagger tagger;
    private volatile boolean stopping;
    /** Held while a batch is in hand, so that stopping can wait for it to end. */
    private final ReentrantLock working = new ReentrantLock();

    /**
     * @param threshold the similarity from which the model tags a comment no rule tagged
     * @param useModel false to tag by keyword rules only
     */
    public ThemeTagging(DSLContext dsl, Clock clock, double threshold, boolean useModel) {
        this.dsl = dsl;
        this.clock = clock;
        this.threshold = threshold;
        this.useModel = useModel;
    }

    public static ThemeTagging fromSettings(io.surveycast.config.Settings settings, DSLContext dsl, Clock clock) {
        double threshold = Double.parseDouble(settings.get("surveycast.themes.similarity",
                Double.toString(ExampleMatcher.DEFAULT_THRESHOLD)).strip());
        boolean model = Boolean.parseBoolean(settings.get("surveycast.themes.model", "true").strip());
        return new ThemeTagging(dsl, clock, threshold, model);
    }

    /** Tags queued comments until the queue is empty or {@code maxBatches} batches were done; returns how many. */
    public int drain(int maxBatches) {
        int tagged = 0;
        for (int i = 0; i < maxBatches && !stopping; i++) {
            int n;
            working.lock();
            try {
                n = stopping ? 0 : tagBatch();
            } catch (TaggingStopped e) {
                LOG.info("theme tagging stopped: the batch in hand stays queued for the next run");
                break;
            } finally {
                working.unlock();
            }
            tagged += n;
            if (n < BATCH) {
                break;
            }
        }
        return tagged;
    }

    /**
     * Takes no new batch, has the one in hand abandoned at the model's next step, and waits up to
     * {@code patience} for it to end; false if it had not ended by then.
     */
    public boolean stopTaking(Duration patience) {
        stopping = true;
        try {
            if (!working.tryLock(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        working.unlock();
        return true;
    }

    /**
     * For the timer route: puts the default themes in place on the first run, then tags at most
     * 200 batches (the next tick goes on). The model is loaded with the first batch, not before:
     * a node with nothing to tag never loads it. A lost database is told once, not on every tick.
     */
    public void drain() {
        try {
            if (!defaultsChecked && !stopping) {
                new Themes(dsl, clock).ensureDefaults(DEFAULTS_ACTOR);
                defaultsChecked = true;
            }
            int tagged = drain(200);
            io.surveycast.config.DatabaseOutage.process().reached();
            if (tagged > 0) {
                LOG.debug("tagged {} comments", tagged);
            }
        } catch (RuntimeException e) {
            if (io.surveycast.config.DatabaseOutage.isConnectionLoss(e)) {
                io.surveycast.config.DatabaseOutage.process().lost("theme tagging", e); // the queue waits
                return;
            }
            throw e;
        }
    }

    int tagBatch() {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            List<ThemeQueries.Queued> batch = queries.claim(tx, BATCH);
            if (batch.isEmpty()) {
                return 0;
            }
            ThemeTagger current = tagger(tx);
            List<ThemeTagger.Tagging> taggings = current.tag(batch.stream()
                    .map(q -> new ThemeTagger.Comment(q.comment(), q.score())).toList(), () -> stopping);
            List<Long> ids = batch.stream().map(ThemeQueries.Queued::responseId).toList();
            Set<String> removed = queries.removed(tx, ids);
            queries.clearComputed(tx, ids);
            OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
            List<ThemeQueries.Tagged> tags = new ArrayList<>();
            List<ThemeQueries.Felt> felt = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                long id = batch.get(i).responseId();
                for (ThemeTagger.Tag tag : taggings.get(i).tags()) {
                    if (!removed.contains(id + "/" + tag.theme())) {
                        tags.add(new ThemeQueries.Tagged(id, tag.theme(), tag.source(), tag.similarity()));
                    }
                }
                felt.add(new ThemeQueries.Felt(id, taggings.get(i).sentiment()));
            }
            queries.tag(tx, tags);
            queries.sentiments(tx, felt, now);
            queries.dequeue(tx, batch);
            return batch.size();
        });
    }

    private ThemeTagger tagger(DSLContext tx) {
        String now = queries.version(tx);
        if (tagger == null || !now.equals(version)) {
            List<ThemeDefinition> themes = new ArrayList<>();
            for (var r : queries.all(tx)) {
                try {
                    themes.add(JSON.readValue(r.getDefinition().data(), ThemeDefinition.class));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("theme " + r.getKey() + " cannot be read", e);
                }
            }
            tagger = new ThemeTagger(new KeywordRules(themes, stems),
                    useModel ? new ExampleMatcher(themes, threshold) : null, new Sentiments(stems), stems);
            version = now;
        }
        return tagger;
    }

    /** After {@link #stopTaking}: the batch in hand, if any, has ended or been abandoned. */
    @Override
    public void close() {
        stopTaking(Duration.ofSeconds(30));
        stems.close();
    }

    /** Thrown inside a batch's transaction when stopping: the batch is rolled back, its comments stay queued. */
    static final class TaggingStopped extends RuntimeException {
        TaggingStopped() {
            super("theme tagging stopped", null, false, false);
        }
    }
}
