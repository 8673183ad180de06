package io.surveycast.theme;

import io.surveycast.config.Database;
import io.surveycast.response.ResponseNotices;
import io.surveycast.response.Responses;
import io.surveycast.support.Fixtures;
import io.surveycast.support.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Benchmark (not a unit test): N comments (default 100,000) tagged through the queue, as serve's
 * timer does, in a fresh embedded PostgreSQL, the model loaded once. The comments are the labelled
 * set's (370 English and French comments of every length, with typos and no-theme ones) taken in
 * turn, each with a number appended so that no two are equal. Then the cost the queue adds to
 * storing an answer: 1,000 answers through Responses with the queue trigger, 1,000 without.
 * Arguments: comments (default 100,000). Run with src/test/bench/themes.sh (-Xmx512m).
 */
public final class ThemeTaggingBenchmark {
    public static void main(String[] args) throws IOException {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 100_000L;
        Clock clock = Clock.fixed(Instant.parse("2027-01-15T00:00:00Z"), ZoneOffset.UTC);
        List<String> pool = pool();
        try (Database database = TestDatabase.open(TestDatabase.freshUrl())) {
            DSLContext dsl = database.dsl();
            Fixtures.examples(dsl, clock);
            load(dsl, n + 2000, n, pool);
            var themes = new Themes(dsl, clock);
            themes.ensureDefaults("bench");
            System.out.printf("queued: %d comments (%d processors, max heap %d MB)%n", themes.queued(),
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

            long t0 = System.nanoTime();
            ExampleMatcher.warmUp();
            long loaded = System.nanoTime();
            long cpu0 = cpu();
            int tagged = 0;
            try (var tagging = new ThemeTagging(dsl, clock, ExampleMatcher.DEFAULT_THRESHOLD, true)) {
                for (int batch; (batch = tagging.drain(40)) > 0; ) {
                    tagged += batch;
                    System.out.printf("  %,d tagged, %.1f s%n", tagged, (System.nanoTime() - loaded) / 1e9);
                }
            }
            double seconds = (System.nanoTime() - loaded) / 1e9;
            double cpuSeconds = (cpu() - cpu0) / 1e9;
            System.out.printf("model loaded in %.1f s; tagged %,d comments in %.1f s: %.0f comments/s; "
                    + "CPU time of this JVM meanwhile %.1f s (the embedded PostgreSQL's not counted)%n",
                    (loaded - t0) / 1e9, tagged, seconds, tagged / seconds, cpuSeconds);
            System.out.println("tags by source: " + dsl.fetch("select source, count(*) from response_theme group by 1 order by 1")
                    .formatCSV(false).replace('\n', ' '));
            System.out.println("comments without theme: " + dsl.fetchValue(
                    "select count(*) from response r where comment is not null and not exists "
                    + "(select 1 from response_theme t where t.response_id = r.id)"));

            answers(dsl, clock, n);
        }
    }

    /** Storing answers with and without the queue trigger (the rest of the path is the same). */
    private static void answers(DSLContext dsl, Clock clock, long offset) {
        var responses = new Responses(dsl, clock, new ResponseNotices(List.of(), Duration.ZERO, "http://x"));
        List<Long> open = dsl.fetch("select id from invitation where status = 'sent' order by id limit 2000")
                .map(r -> r.get(0, Long.class));
        long[] nanos = new long[2];
        int k = 0;
        for (int round = 0; round < 8; round++) {
            boolean withQueue = round % 2 == 1; // alternating, so that a busy moment hits both alike
            dsl.execute("alter table response " + (withQueue ? "enable" : "disable") + " trigger response_theme_queue");
            long t = System.nanoTime();
            for (int j = 0; j < 250; j++) {
                long id = open.get(k++);
                responses.answer(id, (int) (id % 11), "Support was quick but the app is slow " + id, "email");
            }
            if (round >= 2) { // the first two rounds warm up
                nanos[withQueue ? 1 : 0] += System.nanoTime() - t;
            }
        }
        System.out.printf("storing an answer with a comment: %.2f ms without the queue trigger, %.2f ms with it "
                + "(750 answers each)%n", nanos[0] / 1e6 / 750, nanos[1] / 1e6 / 750);
        dsl.execute("alter table response enable trigger response_theme_queue");
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * {@code invitations} contacts, each with a sent invitation of the example campaign quarterly-nps,
     * {@code answered} of them answered with a comment from {@code pool} (numbered), all queued.
     */
    static void load(DSLContext dsl, long invitations, long answered, List<String> pool) {
        dsl.execute("alter table response disable trigger user");
        dsl.execute("alter table invitation disable trigger user");
        dsl.execute("""
                insert into contact (external_id, email, timezone, attributes, created_at, updated_at)
                select 'c' || g, 'user' || g || '@example.com', 'Europe/Paris', '{}'::jsonb, now(), now()
                from generate_series(1, %d) g""".formatted(invitations));
        dsl.execute("""
                insert into invitation (campaign_id, contact_id, cycle, channel, status, trigger_at, planned_at, invite_at,
                                        expires_at, sent_at)
                select (select id from campaign where key = 'quarterly-nps'), c.id, 'wave:2027-01-05', 'email', 'sent',
                       timestamptz '2027-01-05 10:00:00+00', timestamptz '2027-01-05 10:00:00+00',
                       timestamptz '2027-01-05 10:00:00+00', timestamptz '2027-01-25 10:00:00+00',
                       timestamptz '2027-01-05 10:00:00+00'
                from contact c""");
        dsl.execute("create temporary table pool (i int primary key, comment text)");
        var insert = dsl.insertInto(org.jooq.impl.DSL.table("pool"), org.jooq.impl.DSL.field("i"),
                org.jooq.impl.DSL.field("comment"));
        for (int i = 0; i < pool.size(); i++) {
            insert = insert.values(i, pool.get(i));
        }
        insert.execute();
        dsl.execute("""
                insert into response (invitation_id, score, comment, channel, received_at, updated_at)
                select i.id, (i.id * 31) %% 11, p.comment || ' (' || i.id || ')', 'email',
                       timestamptz '2027-01-06 10:00:00+00', timestamptz '2027-01-06 10:00:00+00'
                from (select id, row_number() over (order by id) as k from invitation order by id limit %d) i
                join pool p on p.i = (i.k %% %d)""".formatted(answered, pool.size()));
        dsl.execute("update invitation set status = 'responded' where id in (select invitation_id from response)");
        dsl.execute("insert into theme_queue (response_id, queued_at) select id, updated_at from response");
        dsl.execute("alter table response enable trigger user");
        dsl.execute("alter table invitation enable trigger user");
        dsl.execute("analyze");
    }

    private static List<String> pool() throws IOException {
        try (InputStream in = ThemeTaggingBenchmark.class.getResourceAsStream("/themes/labelled-comments.tsv")) {
            List<String> comments = new ArrayList<>();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 1; i < lines.length; i++) {
                comments.add(lines[i].split("\t", 6)[5]);
            }
            return comments;
        }
    }
}
