package io.surveycast.plan;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.config.Database;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A wave planned in batches of contact ids, committed one by one on two connections, decides
 * exactly what one statement in one transaction decides; a failed batch is completed by the next
 * run without duplicates.
 */
class BatchedPlanningTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final Instant WAVE = Instant.parse("2026-06-01T14:00:00Z"); // a Monday

    /** 300 contacts in five zones, a third with phones, some suppressed, many with recent surveys and messages. */
    static void population(DSLContext dsl, Clock clock, String campaign) {
        String[] zones = {"America/New_York", "Europe/Paris", "Australia/Sydney", "Asia/Tokyo", ""};
        StringBuilder csv = new StringBuilder("external_id,email,phone,timezone,plan\n");
        for (int i = 1; i <= 300; i++) {
            csv.append("p").append(i).append(',')
                    .append(i % 7 == 0 ? "" : "p" + i + "@example.com").append(',')
                    .append(i % 3 == 0 || i % 7 == 0 ? "+1415555" + String.format("%04d", i) : "").append(',')
                    .append(zones[i % 5]).append(',')
                    .append(i % 4 == 0 ? "free" : "pro").append('\n');
        }
        Fixtures.contacts(dsl, clock, csv.toString());
        Fixtures.campaign(dsl, clock, "key: onb\nname: onb\ntrigger: {type: onboarding, offset: P14D}\n"
                + "channels: [email]\nquestion: How likely?\ntemplates: {email: nps-invite}\n");
        Fixtures.campaign(dsl, clock, campaign);
        // history: surveys 1 to 120 days before the wave for two contacts in five, messages in the last days
        dsl.execute("""
                with inv as (
                    insert into invitation (campaign_id, contact_id, cycle, channel, token, status, trigger_at,
                                            planned_at, invite_at, expires_at)
                    select (select id from campaign where key = 'onb'), c.id, 'onboarding', 'email', md5(c.id::text), 'sent',
                           t, t, t, t + interval '14 days'
                    from contact c
                    cross join lateral (select timestamptz '2026-06-01 14:00:00+00' - (1 + (c.id * 37) % 120) * interval '1 day'
                                               - (c.id % 11) * interval '1 hour' as t) x
                    where c.id % 5 < 2
                    returning id, contact_id, invite_at)
                insert into message (invitation_id, contact_id, kind, step, channel, status, not_before, sent_at,
                                     created_at, updated_at)
                select id, contact_id, 'invite', 0, 'email', 'sent', invite_at, invite_at, invite_at, invite_at from inv""");
        dsl.execute("""
                insert into suppression (contact_id, channel, reason, at)
                select id, 'email', 'unsubscribed', timestamptz '2026-05-01 00:00:00+00' from contact where id % 13 = 5""");
    }

    static final String WAVE_CAMPAIGN = """
            key: wave
            name: wave
            trigger: {type: recurring, cron: "0 0 10 1 6 ?"}   # 14:00 UTC
            audience: {match: {plan: [pro]}, sample: 0.8}
            channels: [email, sms]
            question: How likely?
            templates: {email: nps-invite, sms: nps-invite}
            send-window: MON-FRI 09:00-17:00
            timezone: America/New_York
            expires-after: P30D
            """;

    /** Every invitation and its invite message, per contact, as text. */
    static Map<String, String> decisions(DSLContext dsl) {
        Map<String, String> rows = new TreeMap<>();
        for (var r : dsl.select(CONTACT.EXTERNAL_ID, INVITATION.CYCLE, INVITATION.STATUS, INVITATION.CHANNEL,
                        INVITATION.SKIP_REASON, INVITATION.DEFER_REASON, INVITATION.INVITE_AT, INVITATION.EXPIRES_AT,
                        MESSAGE.NOT_BEFORE, MESSAGE.CHANNEL, INVITATION.TOKEN)
                .from(INVITATION).join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .leftJoin(MESSAGE).on(MESSAGE.INVITATION_ID.eq(INVITATION.ID))
                .where(INVITATION.CYCLE.startsWith("wave:"))
                .fetch()) {
            rows.merge(r.value1(), r.formatCSV(false), (a, b) -> a + " / " + b);
        }
        return rows;
    }

    @Test
    void aWavePlannedInBatchesOnTwoConnectionsDecidesAsOneStatementDoes() {
        population(db.dsl(), clock, WAVE_CAMPAIGN);
        PlanCounts batched = new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT, 16, 2)).runAt(WAVE);

        Map<String, String> expected;
        PlanCounts single;
        try (Database other = TestDatabase.open(TestDatabase.freshUrl())) {
            population(other.dsl(), clock, WAVE_CAMPAIGN);
            Planner planner = new Planner(FatiguePolicy.DEFAULT, 1_000_000, 1);
            single = other.dsl().transactionResult(c -> {
                planner.lock(c.dsl());
                PlanCampaign wave = planner.campaigns(c.dsl()).stream().filter(p -> p.key().equals("wave")).findFirst().orElseThrow();
                return planner.plan(c.dsl(), wave, WAVE, WAVE);
            });
            expected = decisions(other.dsl());
        }

        assertThat(expected).hasSize(300);
        assertThat(single.skip()).containsKeys("not_in_audience", "sampled_out", "fatigue");
        assertThat(single.defer()).containsKeys("fatigue", "send_window");
        assertThat(batched.invite()).isEqualTo(single.invite());
        assertThat(batched.skip()).isEqualTo(single.skip());
        assertThat(batched.defer()).isEqualTo(single.defer());
        assertThat(decisions(db.dsl())).isEqualTo(expected);
        assertThat(db.dsl().fetchCount(INVITATION, INVITATION.TOKEN.isNotNull().and(INVITATION.CYCLE.startsWith("wave:"))))
                .as("tokens are given when invites are sent, not when planned").isZero();
    }

    @Test
    void aSpreadWaveInBatchesIsSpreadEvenlyWithinOneInvitationPerBatchAndDay() {
        StringBuilder csv = new StringBuilder("external_id,email\n");
        for (int i = 0; i < 100; i++) {
            csv.append("w").append(i).append(",w").append(i).append("@example.com\n");
        }
        Fixtures.contacts(db.dsl(), clock, csv.toString());
        Fixtures.campaign(db.dsl(), clock, """
                key: spread
                name: spread
                trigger: {type: recurring, cron: "0 0 0 1 6 ?", spread: P5D}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                """);

        // ids 1..100 in batches [0, 25), [25, 50), ... [100, 125): five batches
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT, 25, 2)).runAt(Instant.parse("2026-06-01T00:00:00Z"));

        Map<String, Integer> perDay = new TreeMap<>();
        for (var at : db.dsl().select(INVITATION.INVITE_AT).from(INVITATION).fetch(INVITATION.INVITE_AT)) {
            perDay.merge(at.toLocalDate().toString(), 1, Integer::sum);
        }
        assertThat(perDay).containsOnlyKeys("2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04", "2026-06-05");
        assertThat(perDay.values()).allSatisfy(n -> assertThat(n).isBetween(20 - 5, 20 + 5));
        assertThat(perDay.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
    }

    @Test
    void aRunThatFailsHalfWayKeepsItsCommittedBatchesAndTheNextRunPlansTheRestOnce() {
        population(db.dsl(), clock, WAVE_CAMPAIGN);
        Planner planner = new Planner(FatiguePolicy.DEFAULT, 16, 2);
        // one contact of the middle of the range cannot be written
        long p150 = db.dsl().fetchValue(CONTACT.ID, CONTACT.EXTERNAL_ID.eq("p150"));
        db.dsl().execute("""
                create function refuse() returns trigger language plpgsql as $$
                begin raise exception 'refused for the test'; end $$;
                create trigger refuse before insert on invitation for each row
                    when (new.contact_id = %d) execute function refuse()""".formatted(p150));

        assertThatThrownBy(() -> new DueRunner(db.dsl(), planner).runAt(WAVE)).hasMessageContaining("refused for the test");
        int committed = db.dsl().fetchCount(INVITATION, INVITATION.CYCLE.startsWith("wave:"));
        assertThat(committed).as("batches committed before the failure").isBetween(1, 299);
        assertThat(db.dsl().fetchOne("select count(*) from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())").get(0, Long.class))
                .as("the planning lock is given back").isZero();

        db.dsl().execute("drop trigger refuse on invitation");
        PlanCounts rest = new DueRunner(db.dsl(), planner).runAt(WAVE);

        assertThat(rest.invited() + rest.skip().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(300 - committed);
        assertThat(db.dsl().fetchCount(INVITATION, INVITATION.CYCLE.startsWith("wave:"))).isEqualTo(300);
        assertThat(db.dsl().fetchOne("select count(distinct contact_id) from invitation where cycle like 'wave:%'").get(0, Long.class))
                .isEqualTo(300);
        assertThat(db.dsl().fetchOne("""
                select count(*) from invitation i where i.cycle like 'wave:%' and i.status = 'planned'
                   and (select count(*) from message m where m.invitation_id = i.id) <> 1""").get(0, Long.class))
                .as("each planned invitation has exactly one invite message").isZero();
        assertThat(new DueRunner(db.dsl(), planner).runAt(WAVE).invited()).isZero();
    }

    @Test
    void twoDueScansAtOnceWithBatchesPlanEachInvitationOnce() throws Exception {
        population(db.dsl(), clock, WAVE_CAMPAIGN);
        Planner planner = new Planner(FatiguePolicy.DEFAULT, 16, 2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<PlanCounts>> both = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            both.add(pool.submit(() -> new DueRunner(db.dsl(), planner).runAt(WAVE)));
        }
        long invited = 0;
        for (Future<PlanCounts> f : both) {
            invited += f.get().invited();
        }
        pool.shutdown();

        long planned = db.dsl().fetchCount(INVITATION, INVITATION.STATUS.eq("planned").and(INVITATION.CYCLE.startsWith("wave:")));
        assertThat(invited).isEqualTo(planned).isPositive();
        assertThat(db.dsl().fetchCount(INVITATION, INVITATION.CYCLE.startsWith("wave:"))).isEqualTo(300);
    }
}
