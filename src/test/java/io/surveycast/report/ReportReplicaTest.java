package io.surveycast.report;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.RESPONSE_THEME;
import static io.surveycast.db.Tables.THEME;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.theme.Themes;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The replica kept up to date equals the replica loaded afresh, after every kind of write reports
 * read (a new send, an answer, a reminder, a skip, a changed contact, a theme tagged or removed, a
 * deletion), and its first load equals the raw rows.
 */
class ReportReplicaTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2027-01-15T00:00:00Z"), ZoneOffset.UTC);
    static final ReportSettings SETTINGS = new ReportSettings("mrr", "account", null);

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final List<ReportReplica> opened = new ArrayList<>();
    final Random random = new Random(7);
    long campaign;
    List<Long> contacts;

    @BeforeEach
    void someInvitationsAndAnswers() {
        StringBuilder csv = new StringBuilder("external_id,email,plan,mrr,onboarded_at\n");
        for (int c = 0; c < 40; c++) {
            csv.append("c").append(c).append(",c").append(c).append("@example.com,").append(c % 2 == 0 ? "pro" : "free")
                    .append(',').append(c % 3 == 0 ? "" : c % 3 == 1 ? "10.5" : "7").append(",2025-0").append(1 + c % 9)
                    .append("-01\n");
        }
        Fixtures.contacts(db.dsl(), CLOCK, csv.toString());
        Fixtures.campaign(db.dsl(), CLOCK, """
                key: alpha
                name: Alpha
                trigger: {type: event, event: signed}
                channels: [email, sms]
                question: How likely?
                templates: {email: nps-invite, sms: nps-invite}
                """);
        new Themes(db.dsl(), CLOCK).ensureDefaults("test");
        campaign = db.dsl().select(CAMPAIGN.ID).from(CAMPAIGN).fetchSingle().value1();
        contacts = db.dsl().select(CONTACT.ID).from(CONTACT).orderBy(CONTACT.ID).fetch(CONTACT.ID);
        for (long contact : contacts) {
            invitation(contact, OffsetDateTime.parse("2026-03-01T10:00:00Z").plusHours(random.nextInt(24 * 200)));
        }
    }

    @AfterEach
    void close() {
        opened.forEach(ReportReplica::close);
    }

    /** One invitation: sent (and maybe answered, after a reminder), failed or skipped. */
    private long invitation(long contact, OffsetDateTime at) {
        int kind = random.nextInt(10);
        String status = kind == 0 ? "failed" : kind == 1 ? "skipped" : "sent";
        OffsetDateTime sentAt = status.equals("sent") ? at.plusMinutes(5) : null;
        long id = db.dsl().insertInto(INVITATION).set(INVITATION.CAMPAIGN_ID, campaign).set(INVITATION.CONTACT_ID, contact)
                .set(INVITATION.CYCLE, "event:" + random.nextInt(1_000_000)).set(INVITATION.CHANNEL, random.nextBoolean() ? "email" : "sms")
                .set(INVITATION.STATUS, status).set(INVITATION.SKIP_REASON, status.equals("skipped") ? "fatigue" : null)
                .set(INVITATION.DEFER_REASON, random.nextInt(5) == 0 ? "quiet_hours" : null)
                .set(INVITATION.TRIGGER_AT, at.minusHours(30)).set(INVITATION.PLANNED_AT, at.minusHours(30))
                .set(INVITATION.INVITE_AT, status.equals("skipped") ? null : at).set(INVITATION.SENT_AT, sentAt)
                .returning(INVITATION.ID).fetchOne(INVITATION.ID);
        if (sentAt != null && random.nextInt(3) > 0) {
            message(id, contact, "reminder", 1, sentAt.plusDays(2));
            answer(id, sentAt.plusDays(random.nextInt(4)).plusMinutes(random.nextInt(600)));
        }
        return id;
    }

    private void message(long invitation, long contact, String kind, int step, OffsetDateTime sentAt) {
        db.dsl().insertInto(MESSAGE).set(MESSAGE.INVITATION_ID, invitation).set(MESSAGE.CONTACT_ID, contact)
                .set(MESSAGE.KIND, kind).set(MESSAGE.STEP, step).set(MESSAGE.CHANNEL, "email")
                .set(MESSAGE.STATUS, "sent").set(MESSAGE.NOT_BEFORE, sentAt)
                .set(MESSAGE.SENT_AT, sentAt).set(MESSAGE.CREATED_AT, sentAt).set(MESSAGE.UPDATED_AT, sentAt).execute();
    }

    private void answer(long invitation, OffsetDateTime at) {
        long response = db.dsl().insertInto(RESPONSE).set(RESPONSE.INVITATION_ID, invitation)
                .set(RESPONSE.SCORE, (short) random.nextInt(11)).set(RESPONSE.COMMENT, random.nextBoolean() ? "slow, \"very\"\nslow" : " ")
                .set(RESPONSE.CHANNEL, "email").set(RESPONSE.RECEIVED_AT, at).set(RESPONSE.UPDATED_AT, at)
                .returning(RESPONSE.ID).fetchOne(RESPONSE.ID);
        db.dsl().update(INVITATION).set(INVITATION.STATUS, "responded").where(INVITATION.ID.eq(invitation)).execute();
        if (random.nextBoolean()) {
            tag(response, anyTheme());
        }
    }

    private void tag(long response, String theme) {
        db.dsl().insertInto(RESPONSE_THEME).set(RESPONSE_THEME.RESPONSE_ID, response).set(RESPONSE_THEME.THEME_KEY, theme)
                .set(RESPONSE_THEME.SOURCE, "rule").onConflictDoNothing().execute();
    }

    private String anyTheme() {
        List<String> keys = db.dsl().select(THEME.KEY).from(THEME).orderBy(THEME.KEY).fetch(THEME.KEY);
        return keys.get(random.nextInt(keys.size()));
    }

    private ReportReplica load() {
        ReportReplica replica = ReportReplica.loadNow(db.dsl(), SETTINGS);
        opened.add(replica);
        return replica;
    }

    /** Every row of every replica table, sorted, as text. */
    private Map<String, List<String>> contents(ReportReplica replica) {
        return replica.query(db.dsl(), duck -> {
            Map<String, List<String>> out = new LinkedHashMap<>();
            Map<String, String> tables = new LinkedHashMap<>();
            for (String table : List.of("campaign", "theme", "fact", "decision", "mention", "contact", "contact_attr",
                    "answer")) {
                tables.put(table, "select * from " + table);
            }
            // the coded attributes, decoded (codes depend on the order values were first seen); a name no
            // contact has any more keeps its rows of code 0 in a kept replica, so only values are compared
            tables.put("contact_code", "select a.contact_id, a.name, v.value from contact_code a"
                    + " join attr_value v on v.name = a.name and v.code = a.code");
            // and it is complete: one row per contact and name
            tables.put("contact_code_missing", "select c.id, n.name from contact c cross join attr_name n"
                    + " where not exists (select 1 from contact_code a where a.contact_id = c.id and a.name = n.name)"
                    + " union all select contact_id, name from contact_code group by all having count(*) > 1");
            for (var table : tables.entrySet()) {
                List<String> rows = new ArrayList<>();
                try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(table.getValue())) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= n; i++) {
                            row.append(i > 1 ? " | " : "").append(rs.getString(i));
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(null);
                out.put(table.getKey(), rows);
            }
            return out;
        }).orElseThrow();
    }

    @Test
    void theFirstLoadHoldsTheRawRows() {
        Map<String, List<String>> loaded = contents(load());
        long counted = db.dsl().fetchCount(INVITATION, INVITATION.SENT_AT.isNotNull().or(INVITATION.STATUS.eq("failed")));
        assertThat(loaded.get("fact")).hasSize((int) counted);
        assertThat(loaded.get("fact").stream().filter(f -> !f.contains("| null | null | null | null | null | null")).count())
                .as("answered facts").isEqualTo(db.dsl().fetchCount(RESPONSE));
        assertThat(loaded.get("decision")).hasSize(db.dsl().fetchCount(INVITATION, INVITATION.SKIP_REASON.isNotNull())
                + db.dsl().fetchCount(INVITATION, INVITATION.DEFER_REASON.isNotNull()));
        assertThat(loaded.get("mention")).hasSize(db.dsl().fetchCount(RESPONSE_THEME));
        assertThat(loaded.get("contact")).hasSize(contacts.size());
        // revenue: a number at its own scale, an empty one none
        assertThat(loaded.get("contact")).anyMatch(c -> c.endsWith("| 10.500000000000 | 1"))
                .anyMatch(c -> c.endsWith("| 7.000000000000 | 0")).anyMatch(c -> c.endsWith("| null | null"));
        // comments with commas, quotes and line breaks survive the copy
        assertThat(loaded.get("contact_attr")).contains(contacts.get(0) + " | plan | pro");
        assertThat(loaded.get("contact_code")).contains(contacts.get(0) + " | plan | pro");
        assertThat(loaded.get("contact_code_missing")).isEmpty();
        assertThat(loaded.get("theme")).hasSize(db.dsl().fetchCount(THEME));
    }

    @Test
    void itKnowsHowManyInvitationsEachCampaignDayHoldsAsOfItsLastSync() {
        ReportReplica replica = load();
        // 40 invitations (36 counted: sent or failed) over about 200 days: one or two a day
        assertThat(replica.sparse(null, null, null, 3)).isTrue();
        assertThat(replica.sparse(null, null, null, 1)).isFalse();
        assertThat(replica.sparse("alpha", LocalDate.parse("2026-03-01"), LocalDate.parse("2026-10-01"), 3)).isTrue();
        assertThat(replica.sparse("no-such-campaign", null, null, 1_000)).as("no campaign-day").isFalse();
        // fifty invitations more on one day: that day is dense, the rest not
        for (int i = 0; i < 50; i++) {
            long id = db.dsl().insertInto(INVITATION).set(INVITATION.CAMPAIGN_ID, campaign).set(INVITATION.CONTACT_ID, contacts.get(i % 40))
                    .set(INVITATION.CYCLE, "burst:" + i).set(INVITATION.CHANNEL, "email").set(INVITATION.STATUS, "sent")
                    .set(INVITATION.TRIGGER_AT, OffsetDateTime.parse("2026-12-01T09:00:00Z"))
                    .set(INVITATION.PLANNED_AT, OffsetDateTime.parse("2026-12-01T09:00:00Z"))
                    .set(INVITATION.INVITE_AT, OffsetDateTime.parse("2026-12-01T09:00:00Z"))
                    .set(INVITATION.SENT_AT, OffsetDateTime.parse("2026-12-01T09:01:00Z")).returning(INVITATION.ID).fetchOne(INVITATION.ID);
            assertThat(id).isPositive();
        }
        replica.sync(db.dsl());
        LocalDate burst = LocalDate.parse("2026-12-01");
        assertThat(replica.sparse("alpha", burst, burst.plusDays(1), 50)).isFalse();
        assertThat(replica.sparse("alpha", burst, burst.plusDays(1), 51)).isTrue();
        assertThat(replica.sparse("alpha", null, burst, 3)).as("the days before it").isTrue();
    }

    @Test
    void keptUpToDateItEqualsAFreshLoadAfterEveryKindOfWrite() {
        ReportReplica kept = load();
        List<Runnable> writes = List.of(
                () -> invitation(contacts.get(3), OffsetDateTime.parse("2026-12-30T23:59:00Z")),
                () -> {
                    long open = db.dsl().select(INVITATION.ID).from(INVITATION).where(INVITATION.STATUS.eq("sent"))
                            .limit(1).fetchSingle().value1();
                    answer(open, OffsetDateTime.parse("2027-01-10T08:00:00Z"));
                },
                () -> {
                    var sent = db.dsl().select(INVITATION.ID, INVITATION.CONTACT_ID).from(INVITATION)
                            .where(INVITATION.STATUS.eq("responded")).limit(1).fetchSingle();
                    message(sent.value1(), sent.value2(), "reminder", 2, OffsetDateTime.parse("2026-01-01T00:00:00Z"));
                },
                () -> db.dsl().update(INVITATION).set(INVITATION.SKIP_REASON, "suppressed").set(INVITATION.STATUS, "skipped")
                        .set(INVITATION.SENT_AT, (OffsetDateTime) null).set(INVITATION.INVITE_AT, (OffsetDateTime) null)
                        .where(INVITATION.ID.eq(db.dsl().select(DSL.max(INVITATION.ID)).from(INVITATION)
                                .where(INVITATION.STATUS.eq("sent")))).execute(),
                () -> db.dsl().update(CONTACT).set(CONTACT.ATTRIBUTES, JSONB.valueOf("{\"plan\": \"team\", \"mrr\": \"1e3\", \"note\": \"\", \"tier\": \"(none)\"}"))
                        .where(CONTACT.ID.eq(contacts.get(1))).execute(),
                () -> db.dsl().update(CONTACT).set(CONTACT.CHURNED_AT, LocalDate.parse("2026-11-01"))
                        .set(CONTACT.ONBOARDED_AT, (OffsetDateTime) null).where(CONTACT.ID.eq(contacts.get(2))).execute(),
                () -> {
                    long response = db.dsl().select(DSL.min(RESPONSE.ID)).from(RESPONSE).fetchSingle().value1();
                    tag(response, db.dsl().select(THEME.KEY).from(THEME).whereNotExists(DSL.selectOne().from(RESPONSE_THEME)
                            .where(RESPONSE_THEME.RESPONSE_ID.eq(response)).and(RESPONSE_THEME.THEME_KEY.eq(THEME.KEY)))
                            .limit(1).fetchSingle().value1());
                },
                () -> db.dsl().deleteFrom(RESPONSE_THEME).where(RESPONSE_THEME.RESPONSE_ID.eq(
                        db.dsl().select(DSL.max(RESPONSE_THEME.RESPONSE_ID)).from(RESPONSE_THEME))).execute(),
                () -> db.dsl().deleteFrom(RESPONSE).where(RESPONSE.ID.eq(db.dsl().select(DSL.max(RESPONSE.ID)).from(RESPONSE))).execute(),
                () -> db.dsl().deleteFrom(CONTACT).where(CONTACT.ID.eq(contacts.get(5))).execute(),
                () -> Fixtures.contacts(db.dsl(), CLOCK, "external_id,email,plan,mrr\nnew1,new1@example.com,pro,3.25\n"),
                // a theme nobody mentions yet has its row in the theme report
                () -> db.dsl().insertInto(THEME).set(THEME.KEY, "billing").set(THEME.LABEL, "Billing")
                        .set(THEME.DEFINITION, JSONB.valueOf("{}")).set(THEME.DEFINITION_HASH, "x")
                        .set(THEME.CREATED_AT, OffsetDateTime.now(CLOCK)).set(THEME.UPDATED_AT, OffsetDateTime.now(CLOCK)).execute());
        for (int i = 0; i < writes.size(); i++) {
            Map<String, List<String>> before = contents(kept);
            writes.get(i).run();
            Map<String, List<String>> after = contents(kept);
            assertThat(after).as("write %d changed the replica", i).isNotEqualTo(before);
            assertThat(after).as("after write %d", i).isEqualTo(contents(load()));
        }
    }

    @Test
    void aFailedSyncLeavesThatReportToPostgresqlAndTheNextSyncCatchesUp() throws Exception {
        ReportReplica replica = load();
        invitation(contacts.get(0), OffsetDateTime.parse("2026-12-02T10:00:00Z"));
        try (var files = java.nio.file.Files.list(replica.scratch())) {
            for (var f : files.toList()) {
                java.nio.file.Files.delete(f);
            }
        }
        java.nio.file.Files.delete(replica.scratch());
        assertThat(replica.query(db.dsl(), duck -> true)).as("no scratch directory: PostgreSQL answers").isEmpty();
        java.nio.file.Files.createDirectory(replica.scratch());
        assertThat(contents(replica)).isEqualTo(contents(load()));
    }

    @Test
    void aReportWaitsForARefreshRunningElsewhereAndSeesTheWritesBeforeIt() throws Exception {
        ReportReplica replica = load();
        int before = contents(replica).get("fact").size();
        invitation(contacts.get(0), OffsetDateTime.parse("2026-12-01T10:00:00Z"));
        long counted = db.dsl().fetchCount(INVITATION, INVITATION.SENT_AT.isNotNull().or(INVITATION.STATUS.eq("failed")));
        // another node's refresh holds the lock: this report's sync waits for it, then refreshes itself
        CompletableFuture<Void> release = new CompletableFuture<>();
        Thread other = holdTheRefreshLock(release);
        CompletableFuture<Integer> facts = CompletableFuture.supplyAsync(() -> contents(replica).get("fact").size());
        Thread.sleep(500);
        assertThat(facts).as("waiting for the other refresh").isNotDone();
        release.complete(null);
        other.join(10_000);
        assertThat(facts.get(20, TimeUnit.SECONDS)).isEqualTo((int) counted).isGreaterThanOrEqualTo(before);
    }

    @Test
    void closingDoesNotWaitForASyncInProgressWhichFreesTheReplicaWhenItEnds() throws Exception {
        ReportReplica replica = load();
        CompletableFuture<Void> release = new CompletableFuture<>();
        Thread other = holdTheRefreshLock(release);
        CompletableFuture<Integer> sync = CompletableFuture.supplyAsync(() -> replica.sync(db.dsl()));
        Thread.sleep(500);
        assertThat(sync).as("waiting for the other refresh").isNotDone();
        // stopping the server while a sync (or the first load) runs does not wait for it
        CompletableFuture<Void> closing = CompletableFuture.runAsync(replica::close);
        closing.get(5, TimeUnit.SECONDS);
        assertThat(replica.query(db.dsl(), duck -> true)).as("closed: PostgreSQL answers").isEmpty();
        assertThat(replica.scratch()).as("freed by the sync, not yet").exists();
        release.complete(null);
        other.join(10_000);
        sync.get(20, TimeUnit.SECONDS);
        assertThat(replica.scratch()).as("freed when the sync ended").doesNotExist();
    }

    /** Another node's refresh: holds the refresh's advisory lock until {@code release} completes. */
    private Thread holdTheRefreshLock(CompletableFuture<Void> release) throws Exception {
        CompletableFuture<Boolean> held = new CompletableFuture<>();
        Thread other = Thread.ofPlatform().start(() -> db.dsl().transaction(c -> {
            held.complete(c.dsl().fetchSingle("select pg_try_advisory_xact_lock(?) as l", 0x7265706f7274L)
                    .get(0, Boolean.class));
            release.get(10, TimeUnit.SECONDS);
        }));
        assertThat(held.get(10, TimeUnit.SECONDS)).isTrue();
        return other;
    }
}
