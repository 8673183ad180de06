package io.surveycast.followup;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.Database;
import io.surveycast.support.Fixtures;
import io.surveycast.support.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jooq.DSLContext;

/**
 * Benchmark (not a unit test): the case queue with N cases (default 100,000) in a fresh embedded
 * PostgreSQL. N contacts (a quarter with an owner_email among 20 owners) answer the example
 * onboarding campaign, all detractors, over the 60 days before the clock, with comments; the
 * answers go through the case_queue trigger and CaseOpening opens their cases (timed). A tenth of
 * the cases get a note and a third are closed. After VACUUM ANALYZE, each listing is timed (the
 * query an API call or a page runs, in the server's process): the queue (not closed, overdue first
 * then by due time, first 100), one owner's, one campaign's, detractors, overdue only, every status.
 * Arguments: cases (default 100,000), runs per listing (default 20). Run with src/test/bench/cases.sh.
 *
 * <p>With a third argument {@code report}: the same data, but the cases are written by one
 * set-based statement as the queue worker writes them (owner from owner_email, due 48 hours after
 * the answer) instead of the timed worker, and half of the contacts answer the quarterly campaign
 * again 30 days later (scores 0-10 in turn, before cases: no case for those answers), so each
 * detractor case's next answer is looked up; then {@code cases report} is timed without grouping,
 * by owner, by campaign, by category and for the last 30 days, and the dashboard overview's loop
 * figures (its last 90 days).
 */
public final class CaseQueueBenchmark {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Clock clock = Clock.fixed(Instant.parse("2027-01-15T00:00:00Z"), ZoneOffset.UTC);
        try (Database database = TestDatabase.open(TestDatabase.freshUrl())) {
            DSLContext dsl = database.dsl();
            Fixtures.examples(dsl, clock);
            dsl.execute("""
                    insert into contact (external_id, email, name, attributes, created_at, updated_at)
                    select 'c' || g, 'user' || g || '@example.com', 'Contact ' || g,
                           case when g %% 4 = 0 then jsonb_build_object('owner_email', 'owner' || (g %% 20) || '@acme.example')
                                else '{}'::jsonb end,
                           now(), now()
                    from generate_series(1, %d) g""".formatted(n));
            dsl.execute("""
                    insert into invitation (campaign_id, contact_id, cycle, channel, status, trigger_at, planned_at,
                                            invite_at, sent_at, responded_at)
                    select (select id from campaign where key = 'onboarding-nps'), c.id, 'onboarding', 'email', 'responded',
                           t, t, t, t, t + interval '2 hours'
                    from (select id, timestamptz '2027-01-15' - (id % 60) * interval '1 day' - (id % 1440) * interval '1 minute' t
                          from contact) c""");
            dsl.execute("""
                    insert into response (invitation_id, score, comment, channel, received_at, updated_at)
                    select id, (id % 7)::smallint, 'comment ' || id || ': support was slow to answer', 'email',
                           responded_at, responded_at
                    from invitation""");
            Cases cases = Cases.of(dsl, clock, List.of(), new TemplateStore(Optional.empty()), "http://localhost:8080");
            boolean report = args.length > 2 && args[2].equals("report");
            if (report) {
                dsl.execute("""
                        insert into follow_up_case (response_id, invitation_id, contact_id, campaign_id, category, owner, status,
                                                    opened_at, due_at, updated_at)
                        select r.id, i.id, i.contact_id, i.campaign_id, r.category, c.attributes ->> 'owner_email', 'open',
                               r.updated_at, r.updated_at + interval '48 hours', r.updated_at
                        from response r join invitation i on i.id = r.invitation_id join contact c on c.id = i.contact_id""");
                dsl.execute("""
                        insert into invitation (campaign_id, contact_id, cycle, channel, status, trigger_at, planned_at,
                                                invite_at, sent_at, responded_at)
                        select (select id from campaign where key = 'quarterly-nps'), i.contact_id, 'wave:2027-Q1', 'email',
                               'responded', i.invite_at + interval '30 days', i.invite_at + interval '30 days',
                               i.invite_at + interval '30 days', i.invite_at + interval '30 days', i.responded_at + interval '30 days'
                        from invitation i where i.contact_id % 2 = 0""");
                dsl.execute("""
                        insert into response (invitation_id, score, channel, received_at, updated_at)
                        select id, (contact_id / 2 % 11)::smallint, 'email', responded_at, responded_at
                        from invitation where cycle = 'wave:2027-Q1'""");
                dsl.execute("delete from case_queue");
            } else {
                long t0 = System.nanoTime();
                int opened = cases.opening().drain();
                System.out.printf("opened %,d cases from the queue in %,d ms%n", opened, (System.nanoTime() - t0) / 1_000_000);
            }
            dsl.execute("""
                    insert into case_note (case_id, author, at, text)
                    select id, 'lea@acme.example', opened_at + interval '3 hours', 'Called, left a voicemail'
                    from follow_up_case where id % 10 = 0""");
            dsl.execute("""
                    update follow_up_case set status = 'closed', closed_at = opened_at + interval '1 day',
                           first_action_at = opened_at + interval '3 hours', close_reason = 'sorted'
                    where id % 3 = 0""");
            dsl.execute("vacuum analyze");
            System.out.printf("cases: %,d (open %,d)%n", dsl.fetchCount(dsl.selectFrom(io.surveycast.db.Tables.FOLLOW_UP_CASE)),
                    dsl.fetchCount(dsl.selectFrom(io.surveycast.db.Tables.FOLLOW_UP_CASE)
                            .where(io.surveycast.db.Tables.FOLLOW_UP_CASE.STATUS.ne("closed"))));
            if (report) {
                time(runs, "report", () -> cases.report(CaseReport.query(null, null, null, "")));
                time(runs, "report --by owner", () -> cases.report(CaseReport.query(null, null, "owner", "")));
                time(runs, "report --by campaign", () -> cases.report(CaseReport.query(null, null, "campaign", "")));
                time(runs, "report --by category", () -> cases.report(CaseReport.query(null, null, "category", "")));
                time(runs, "report last 30 days", () -> cases.report(CaseReport.query("2026-12-16", "2027-01-14", null, "")));
                // the dashboard overview's loop figures: its last 90 days, as Overview asks for them
                time(runs, "overview loop (90 days)", () -> List.of(LoopFigures.overview(dsl,
                        java.time.LocalDate.parse("2026-10-17"), java.time.LocalDate.parse("2027-01-15"), clock.instant())));
                if (Boolean.getBoolean("explain")) {
                    var sql = io.surveycast.sql.NamedSql.of("followup").get("case-report").sql(new io.surveycast.sql.Params()
                            .value("from", java.time.OffsetDateTime.parse("1970-01-01T00:00:00Z"))
                            .value("to", java.time.OffsetDateTime.parse("9999-01-01T00:00:00Z"))
                            .value("now", clock.instant().atOffset(ZoneOffset.UTC))
                            .part("group", io.surveycast.sql.NamedSql.of("followup").get("group-all").sql()));
                    dsl.resultQuery("explain (analyze, buffers) {0}", sql).forEach(r -> System.out.println(r.get(0)));
                }
                var all = cases.report(CaseReport.query(null, null, null, "")).getFirst();
                System.out.println("report: " + all);
                return;
            }
            time(runs, "queue (first 100)", () -> cases.list(CaseFilter.queue()));
            time(runs, "owner owner4@acme.example", () -> cases.list(CaseFilter.of(null, "owner4@acme.example", null, null, false, 100, "")));
            time(runs, "campaign onboarding-nps", () -> cases.list(CaseFilter.of(null, null, "onboarding-nps", null, false, 100, "")));
            time(runs, "category detractor", () -> cases.list(CaseFilter.of(null, null, null, "detractor", false, 100, "")));
            time(runs, "overdue", () -> cases.list(CaseFilter.of(null, null, null, null, true, 100, "")));
            time(runs, "status all", () -> cases.list(CaseFilter.of("all", null, null, null, false, 100, "")));
            time(runs, "status closed", () -> cases.list(CaseFilter.of("closed", null, null, null, false, 100, "")));
        }
    }

    private static void time(int runs, String what, Supplier<? extends List<?>> listing) {
        List<Long> micros = new ArrayList<>();
        int rows = 0;
        for (int i = 0; i < runs + 2; i++) {
            long t = System.nanoTime();
            rows = listing.get().size();
            if (i >= 2) { // two warm-up runs
                micros.add((System.nanoTime() - t) / 1000);
            }
        }
        Collections.sort(micros);
        System.out.printf("%-28s rows %4d  median %7.1f ms  max %7.1f ms%n", what, rows, micros.get(micros.size() / 2) / 1000.0,
                micros.getLast() / 1000.0);
    }
}
