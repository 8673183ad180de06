package io.surveycast.schedule;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.config.Database;
import io.surveycast.plan.PlanCounts;
import io.surveycast.plan.Planner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Benchmark (not a unit test, issue 18.4): a database whose planner statistics describe one
 * contact and no invitations receives N contacts (default 1,000,000) by a bulk SQL load, with no
 * ANALYZE (the worst case: the import analyses contact itself, API upserts and bulk loads do
 * not), then the first due-scan runs at the quarterly wave's firing: expiry, the three example
 * campaigns (renewal and onboarding triggers due for one contact in twenty each, the wave for
 * everyone) and reminders. Prints the scan's wall time and what it planned. Run with
 * src/test/bench/first-scan.sh; with -Dpgss=true -Dexplain.ms=2000 the plans of the statements
 * slower than 2 s go to /tmp/pglog.
 */
public final class FirstScanBenchmark {
    public static void main(String[] args) {
        int contacts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Instant wave = Instant.parse("2027-04-06T14:00:00Z");
        Clock clock = Clock.fixed(wave.minusSeconds(86_400 * 30), ZoneOffset.UTC);
        try (Database database = TestDatabase.open(TestDatabase.freshUrl())) {
            var dsl = database.dsl();
            Fixtures.examples(dsl, clock);
            Fixtures.contacts(dsl, clock, "external_id,email,plan\nfirst,first@example.com,pro\n");
            dsl.execute("analyze");
            long t0 = System.nanoTime();
            dsl.execute("""
                    insert into contact (external_id, email, phone, phone_timezone, timezone, onboarded_at, renewal_date,
                                         attributes, created_at, updated_at)
                    select 'c' || g, 'user' || g || '@example.com',
                           case when g %% 3 = 0 then '+1415' || lpad((g %% 10000000)::text, 7, '0') end,
                           case when g %% 3 = 0 then 'America/Los_Angeles' end,
                           (array['America/New_York','Europe/Paris','Australia/Sydney','Asia/Tokyo',null])[1 + g %% 5],
                           case when g %% 20 = 1 then timestamptz '2027-03-20 12:00:00+00' + (g %% 100) * interval '1 hour' end,
                           case when g %% 20 = 2 then date '2027-05-01' + (g %% 5) end,
                           jsonb_build_object('plan', (array['free','basic','pro','enterprise'])[1 + g %% 4]),
                           now(), now()
                    from generate_series(1, %d) g""".formatted(contacts));
            double load = (System.nanoTime() - t0) / 1e9;
            DueRunner runner = new DueRunner(dsl, new Planner(FatiguePolicy.DEFAULT));
            long t1 = System.nanoTime();
            PlanCounts counts = runner.runAt(wave);
            double scan = (System.nanoTime() - t1) / 1e9;
            System.out.printf("contacts %d loaded (no ANALYZE) in %.1f s; first due-scan %.1f s: invited %s, skipped %s%n",
                    contacts, load, scan, counts.invite(), counts.skip());
        }
    }
}
