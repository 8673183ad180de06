package io.surveycast.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.config.Database;
import io.surveycast.plan.PlanCounts;
import io.surveycast.plan.Planner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 18.4: scans stay linear when the planner's statistics still describe a near-empty database. */
class StaleStatisticsScanTest {
    static final Instant WAVE = Instant.parse("2027-04-06T14:00:00Z"); // quarterly-nps fires (first Tuesday, 10:00 New York)
    static final Clock CLOCK = Clock.fixed(WAVE.minusSeconds(86_400 * 30), ZoneOffset.UTC);

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void scansOverTwentyThousandUnanalysedContactsStayFast() {
        Fixtures.examples(db.dsl(), CLOCK);
        Fixtures.contacts(db.dsl(), CLOCK, "external_id,email,plan\nfirst,first@example.com,pro\n");
        db.dsl().execute("analyze");
        // 20,000 contacts written by another path than the import (API upserts, a bulk load): no ANALYZE
        db.dsl().execute("""
                insert into contact (external_id, email, phone, timezone, onboarded_at, renewal_date, attributes,
                                     created_at, updated_at)
                select 'bulk' || n, 'bulk' || n || '@example.com',
                       case when n % 3 = 0 then '+1415' || lpad(n::text, 7, '0') end,
                       (array['America/New_York', 'Europe/Paris', 'Asia/Tokyo', null])[1 + n % 4],
                       timestamptz '2027-03-20 12:00:00+00' + (n % 100) * interval '1 hour',
                       date '2027-05-01' + (n % 30),
                       jsonb_build_object('plan', case when n % 2 = 0 then 'pro' else 'free' end),
                       timestamptz '2027-03-01 00:00:00+00', timestamptz '2027-03-01 00:00:00+00'
                from generate_series(1, 20000) n""");
        // a statement planned for one contact ran for minutes (373 s for 15,000 onboarding contacts):
        // fail at a minute instead of waiting for it
        db.dsl().execute("alter database " + db.dsl().fetchValue("select current_database()") + " set statement_timeout = '60s'");
        try (Database timed = Database.open(db.settings(), 4)) {
            DueRunner runner = new DueRunner(timed.dsl(), new Planner(FatiguePolicy.DEFAULT));
            PlanCounts wave = scan(runner, WAVE);
            assertThat(wave.invited()).as("onboarding, renewal and the quarterly wave planned").isGreaterThan(5_000);
            assertThat(scan(runner, WAVE.plusSeconds(86_400 * 5)).remind()).as("reminders queued").isNotEmpty();
            assertThat(scan(runner, WAVE.plusSeconds(86_400 * 25)).expired()).as("invitations expired").isPositive();
        }
        assertThat(db.dsl().fetchOne("select reltuples::float8 from pg_class where relname = 'contact'").get(0, Double.class))
                .as("the scan left the planner with the contacts it has").isGreaterThan(15_000d);
    }

    private static PlanCounts scan(DueRunner runner, Instant at) {
        long start = System.nanoTime();
        PlanCounts counts = runner.runAt(at);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("scan at " + at + ": " + ms + " ms, invited " + counts.invited() + ", reminders "
                + counts.remind() + ", expired " + counts.expired());
        assertThat(ms).as("scan at %s, in ms", at).isLessThan(45_000);
        return counts;
    }
}
