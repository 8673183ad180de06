package io.surveycast.plan;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.config.Database;
import io.surveycast.support.Fixtures;
import io.surveycast.support.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Benchmark (not a unit test): plans a recurring wave over N contacts (default 1,000,000) of
 * whom a share have a survey history, so fatigue matters, and compares the time with a bare
 * INSERT ... SELECT of the same number of invitations and messages in the same database.
 * Arguments: contacts (default 1,000,000), connections to plan on (default {@link Planner#PARALLELISM}),
 * contact ids per batch (default {@link Planner#WAVE_BATCH}).
 * Run with src/test/bench/plan-wave.sh.
 */
public final class WavePlanningBenchmark {
    /** How often autovacuum visited the written tables (it competes for the same two cores). */
    private static String autovacuums(org.jooq.DSLContext dsl) {
        return dsl.fetch("""
                select string_agg(relname || ' ' || autovacuum_count || '/' || autoanalyze_count, ', ' order by relname)
                from pg_stat_user_tables where relname in ('invitation', 'message')""").get(0).get(0, String.class);
    }

    public static void main(String[] args) {
        int contacts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : Planner.PARALLELISM;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : Planner.WAVE_BATCH;
        Instant wave = Instant.parse("2027-04-06T14:00:00Z");
        Clock clock = Clock.fixed(wave, ZoneOffset.UTC);
        try (Database database = TestDatabase.open(TestDatabase.freshUrl())) {
            var dsl = database.dsl();
            long t0 = System.nanoTime();
            dsl.execute("""
                    insert into contact (external_id, email, phone, phone_timezone, timezone, attributes, created_at, updated_at)
                    select 'c' || g, 'user' || g || '@example.com',
                           case when g %% 3 = 0 then '+1415' || lpad((g %% 10000000)::text, 7, '0') end,
                           case when g %% 3 = 0 then 'America/Los_Angeles' end,
                           (array['America/New_York','Europe/Paris','Australia/Sydney','Asia/Tokyo',null])[1 + g %% 5],
                           jsonb_build_object('plan', (array['free','basic','pro','enterprise'])[1 + g %% 4]),
                           now(), now()
                    from generate_series(1, %d) g""".formatted(contacts));
            Fixtures.examples(dsl, clock);
            // history: 30% surveyed by onboarding 1 to 400 days before the wave, 5% suppressed on email
            dsl.execute("""
                    with inv as (
                        insert into invitation (campaign_id, contact_id, cycle, channel, token, status, trigger_at,
                                                planned_at, invite_at, expires_at)
                        select (select id from campaign where key = 'onboarding-nps'), c.id, 'onboarding', 'email',
                               md5(c.id::text), 'sent', t, t, t, t + interval '10 days'
                        from contact c
                        cross join lateral (select timestamptz '2027-04-06 14:00:00+00'
                                                   - (1 + (c.id * 7919) % 400) * interval '1 day' as t) x
                        where c.id % 10 < 3
                        returning id, contact_id, invite_at)
                    insert into message (invitation_id, contact_id, kind, step, channel, status, not_before, sent_at,
                                         created_at, updated_at)
                    select id, contact_id, 'invite', 0, 'email', 'sent', invite_at, invite_at, invite_at, invite_at from inv""");
            dsl.execute("""
                    insert into suppression (contact_id, channel, reason, at)
                    select id, 'email', 'unsubscribed', now() from contact where id % 20 = 7""");
            // as in a database in service, where autovacuum has long since visited the contacts and the history:
            // hint bits set and visibility map up to date, so neither planning nor the bare insert pays for that
            dsl.execute("vacuum analyze");
            double setup = (System.nanoTime() - t0) / 1e9;

            Planner planner = new Planner(FatiguePolicy.DEFAULT, batch, parallelism);
            PlanCampaign quarterly = planner.campaigns(dsl).stream().filter(c -> c.key().equals("quarterly-nps")).findFirst().orElseThrow();
            long t1 = System.nanoTime();
            PlanCounts counts;
            // as a due-scan does it: under the planning lock, batch by batch, on `parallelism` connections
            try (PlanSession session = planner.session(dsl)) {
                counts = planner.plan(session, quarterly, wave, wave);
            }
            double planning = (System.nanoTime() - t1) / 1e9;
            String vacuumsDuringPlanning = autovacuums(dsl);

            long t2 = System.nanoTime();
            // one statement, one connection; no token either (planned invitations get theirs when sent)
            dsl.transaction(c -> c.dsl().execute("""
                    with inv as (
                        insert into invitation (campaign_id, contact_id, cycle, channel, token, status, trigger_at,
                                                planned_at, invite_at, expires_at)
                        select (select id from campaign where key = 'renewal-nps'), c.id, 'bare', 'email',
                               null, 'planned',
                               timestamptz '2027-04-06 14:00:00+00', timestamptz '2027-04-06 14:00:00+00',
                               timestamptz '2027-04-06 14:00:00+00', timestamptz '2027-04-20 14:00:00+00'
                        from contact c
                        returning id, contact_id, invite_at)
                    insert into message (invitation_id, contact_id, kind, step, channel, status, not_before,
                                         created_at, updated_at)
                    select id, contact_id, 'invite', 0, 'email', 'queued', invite_at, invite_at, invite_at from inv"""));
            double bare = (System.nanoTime() - t2) / 1e9;
            String vacuumsAfterBare = autovacuums(dsl);

            System.out.printf("contacts: %d (setup %.1f s)%n", contacts, setup);
            System.out.printf("wave planning in batches of %d ids on %d connection(s): %.1f s  invite %s  skip %s  defer %s%n",
                    batch, parallelism, planning, counts.invite(), counts.skip(), counts.defer());
            System.out.printf("bare INSERT ... SELECT of %d invitations and messages: %.1f s%n", contacts, bare);
            System.out.printf("ratio planning / bare: %.2f%n", planning / bare);
            System.out.printf("autovacuum/autoanalyze runs so far, after planning: %s; after the bare insert: %s%n",
                    vacuumsDuringPlanning, vacuumsAfterBare);
            StringBuilder peaks = new StringBuilder();
            for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                    peaks.append(", ").append(pool.getName()).append(' ').append(pool.getPeakUsage().getUsed() >> 20).append(" MiB");
                }
            }
            System.out.printf("JVM heap used at the end: %d MiB of max %d MiB; peak per pool over the run%s%n",
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20,
                    Runtime.getRuntime().maxMemory() >> 20, peaks);
        }
        System.exit(0);
    }
}
