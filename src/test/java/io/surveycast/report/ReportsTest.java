package io.surveycast.report;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.support.CliRun;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Report figures against numbers computed here, independently, from the raw rows the test wrote:
 * random invitations over a year (sent, failed, never sent, skipped), random answers.
 */
class ReportsTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2027-01-15T00:00:00Z"), ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    /** What the test knows of each invitation it wrote. */
    record Written(long id, String campaign, String channel, String plan, String status, OffsetDateTime sentAt,
                   OffsetDateTime inviteAt, Integer score, OffsetDateTime receivedAt, OffsetDateTime plannedAt,
                   String skipReason, String deferReason, List<OffsetDateTime> reminders) {
        /** The last step sent at or before the answer (0: the invite). */
        int step() {
            int step = 0;
            for (int k = 0; k < reminders.size(); k++) {
                if (reminders.get(k) != null && !reminders.get(k).isAfter(receivedAt)) {
                    step = k + 1;
                }
            }
            return step;
        }

        /** The skip reported: the recorded reason, or expired for one that expired before its invite went out. */
        String skip() {
            return skipReason != null ? skipReason : status.equals("expired") && sentAt == null ? "expired" : null;
        }
    }

    final List<Written> written = new ArrayList<>();
    final List<ReportReplica> replicas = new ArrayList<>();

    @AfterEach
    void closeReplicas() {
        replicas.forEach(ReportReplica::close);
    }

    /**
     * The two paths every check runs on: the replica (loaded now, brought up to date by each report
     * with what was written since) and PostgreSQL alone.
     */
    List<Reports> bothPaths(ReportSettings settings) {
        ReportReplica replica = ReportReplica.loadNow(db.dsl(), settings);
        replicas.add(replica);
        // the test's few invitations per day are sparse: the replica counts them all; the third path
        // counts on the roll-ups where they answer, with the replica's revenue beside them
        return List.of(new Reports(db.dsl(), 4, settings, replica), new Reports(db.dsl(), 4, settings),
                new Reports(db.dsl(), 4, settings, replica, 0));
    }

    @BeforeEach
    void aYearOfInvitationsAndAnswers() {
        StringBuilder csv = new StringBuilder("external_id,email,plan\n");
        for (int c = 0; c < 300; c++) {
            csv.append("c").append(c).append(",c").append(c).append("@example.com,")
                    .append(c % 3 == 0 ? "pro" : c % 3 == 1 ? "free" : "").append('\n');
        }
        Fixtures.contacts(db.dsl(), CLOCK, csv.toString());
        for (String key : List.of("alpha", "beta")) {
            Fixtures.campaign(db.dsl(), CLOCK, """
                    key: %s
                    name: %s
                    trigger: {type: event, event: signed}
                    channels: [email, sms]
                    question: How likely?
                    templates: {email: nps-invite, sms: nps-invite}
                    """.formatted(key, key));
        }
        Random random = new Random(42);
        var contacts = db.dsl().select(CONTACT.ID, CONTACT.ATTRIBUTES).from(CONTACT).fetch();
        OffsetDateTime start = OffsetDateTime.parse("2026-01-01T00:00:00Z");
        int n = 0;
        for (var contact : contacts) {
            for (String key : List.of("alpha", "beta")) {
                long campaignId = db.dsl().select(CAMPAIGN.ID).from(CAMPAIGN).where(CAMPAIGN.KEY.eq(key)).fetchSingle().value1();
                String channel = random.nextInt(4) == 0 ? "sms" : "email";
                OffsetDateTime inviteAt = start.plusHours(random.nextInt(365 * 24));
                int kind = random.nextInt(20);
                String status = kind == 0 ? "failed" : kind == 1 ? "skipped" : kind == 2 ? "planned"
                        : kind == 3 ? "expired" : "sent";
                // planned up to three days before the invite time, so skips and deferrals (by planned time)
                // fall into other months and quarters than the sends at times
                OffsetDateTime plannedAt = inviteAt.minusHours(random.nextInt(72));
                String skipReason = status.equals("skipped") ? SKIPS.get(random.nextInt(SKIPS.size())) : null;
                String deferReason = !status.equals("skipped") && random.nextInt(4) == 0
                        ? DEFERS.get(random.nextInt(DEFERS.size())) : null;
                boolean expiredAfterSending = status.equals("expired") && random.nextBoolean();
                OffsetDateTime sentAt = status.equals("sent") || expiredAfterSending
                        ? inviteAt.plusMinutes(random.nextInt(600)) : null;
                // reminders 3 and 7 days after the invite; some never sent (a cancelled step: no sent_at)
                List<OffsetDateTime> reminders = new ArrayList<>();
                if (sentAt != null) {
                    int steps = random.nextInt(3);
                    for (int k = 1; k <= steps; k++) {
                        reminders.add(random.nextInt(5) == 0 ? null : sentAt.plusDays(k == 1 ? 3 : 7).plusMinutes(random.nextInt(60)));
                    }
                }
                Integer score = status.equals("sent") && random.nextInt(3) > 0 ? random.nextInt(11) : null;
                OffsetDateTime receivedAt = score == null ? null : sentAt.plusMinutes(1 + random.nextInt(60 * 24 * 9));
                String finalStatus = score != null ? "responded" : status;
                long invitation = db.dsl().insertInto(INVITATION)
                        .set(INVITATION.CAMPAIGN_ID, campaignId).set(INVITATION.CONTACT_ID, contact.value1())
                        .set(INVITATION.CYCLE, "event:" + (n++)).set(INVITATION.CHANNEL, status.equals("skipped") && random.nextBoolean() ? null : channel)
                        .set(INVITATION.STATUS, finalStatus)
                        .set(INVITATION.SKIP_REASON, skipReason)
                        .set(INVITATION.DEFER_REASON, deferReason)
                        .set(INVITATION.TRIGGER_AT, plannedAt).set(INVITATION.PLANNED_AT, plannedAt)
                        .set(INVITATION.INVITE_AT, status.equals("skipped") ? null : inviteAt)
                        .set(INVITATION.SENT_AT, sentAt)
                        .returning(INVITATION.ID).fetchOne(INVITATION.ID);
                String storedChannel = db.dsl().select(INVITATION.CHANNEL).from(INVITATION).where(INVITATION.ID.eq(invitation)).fetchOne(INVITATION.CHANNEL);
                if (sentAt != null) {
                    message(invitation, contact.value1(), "invite", 0, channel, sentAt);
                }
                for (int k = 0; k < reminders.size(); k++) {
                    message(invitation, contact.value1(), "reminder", k + 1, channel, reminders.get(k));
                }
                if (score != null) {
                    db.dsl().insertInto(RESPONSE).set(RESPONSE.INVITATION_ID, invitation).set(RESPONSE.SCORE, score.shortValue())
                            .set(RESPONSE.CHANNEL, channel).set(RESPONSE.RECEIVED_AT, receivedAt)
                            .set(RESPONSE.UPDATED_AT, receivedAt).execute();
                }
                String plan = contact.value2() == null ? null
                        : JSON.valueToTree(parse(contact.value2().data())).path("plan").asText(null);
                written.add(new Written(invitation, key, storedChannel, plan, status, sentAt, inviteAt, score, receivedAt,
                        plannedAt, skipReason, deferReason, reminders));
            }
        }
    }

    static final List<String> SKIPS = List.of("suppressed", "no_channel", "sampled_out", "not_in_audience", "fatigue",
            "too_late", "expired");
    static final List<String> DEFERS = List.of("fatigue", "send_window", "quiet_hours");

    private void message(long invitation, long contact, String kind, int step, String channel, OffsetDateTime sentAt) {
        OffsetDateTime at = sentAt == null ? OffsetDateTime.parse("2026-01-01T00:00:00Z") : sentAt;
        db.dsl().insertInto(MESSAGE).set(MESSAGE.INVITATION_ID, invitation).set(MESSAGE.CONTACT_ID, contact)
                .set(MESSAGE.KIND, kind).set(MESSAGE.STEP, step).set(MESSAGE.CHANNEL, channel)
                .set(MESSAGE.STATUS, sentAt == null ? "cancelled" : "sent").set(MESSAGE.NOT_BEFORE, at)
                .set(MESSAGE.SENT_AT, sentAt).set(MESSAGE.CREATED_AT, at).set(MESSAGE.UPDATED_AT, at).execute();
    }

    /** Every breakdown and a period, against the test's own figures. */
    private void checkAll(Function<Breakdown, List<ReportRow>> all, java.util.function.BiFunction<String, Breakdown, List<ReportRow>> period) {
        check(all.apply(Breakdown.parse("campaign")), (w, at) -> w.campaign(), (w, at) -> true, true);
        check(all.apply(Breakdown.parse("channel")), (w, at) -> w.channel() == null ? "(none)" : w.channel(), (w, at) -> true);
        check(all.apply(Breakdown.parse("attr:plan")), (w, at) -> w.plan() == null ? "(none)" : w.plan(), (w, at) -> true);
        check(all.apply(Breakdown.parse("wave")), (w, at) -> w.campaign() + " " + cycleOf(w), (w, at) -> true);
        check(all.apply(Breakdown.parse("month")), (w, at) -> at.toLocalDate().toString().substring(0, 7), (w, at) -> true);
        check(all.apply(Breakdown.parse("quarter")),
                (w, at) -> at.getYear() + "-Q" + ((at.getMonthValue() - 1) / 3 + 1), (w, at) -> true);
        check(all.apply(Breakdown.ALL), (w, at) -> "all", (w, at) -> true, true);
        // the breakdowns of the facts (V30): a deferral counts in the category of the answer it got since
        check(all.apply(Breakdown.parse("category")), (w, at) -> category(w.score()), (w, at) -> true);
        check(all.apply(Breakdown.parse("attr:plan,quarter")), (w, at) -> (w.plan() == null ? "(none)" : w.plan()) + " / "
                + quarter(at), (w, at) -> true);
        check(all.apply(Breakdown.parse("wave,channel")), (w, at) -> w.campaign() + " " + cycleOf(w) + " / "
                + (w.channel() == null ? "(none)" : w.channel()), (w, at) -> true);
        LocalDate from = LocalDate.parse("2026-04-01");
        LocalDate to = LocalDate.parse("2026-06-30");
        check(period.apply("beta", Breakdown.ALL), (w, at) -> "all", (w, at) -> w.campaign().equals("beta")
                && !at.toLocalDate().isBefore(from) && !at.toLocalDate().isAfter(to), true);
        check(period.apply("alpha", Breakdown.parse("month")), (w, at) -> at.toLocalDate().toString().substring(0, 7),
                (w, at) -> w.campaign().equals("alpha") && !at.toLocalDate().isBefore(from) && !at.toLocalDate().isAfter(to));
        check(period.apply("alpha", Breakdown.parse("attr:plan")), (w, at) -> w.plan() == null ? "(none)" : w.plan(),
                (w, at) -> w.campaign().equals("alpha") && !at.toLocalDate().isBefore(from) && !at.toLocalDate().isAfter(to));
        check(period.apply("alpha", Breakdown.parse("category,month")), (w, at) -> category(w.score()) + " / "
                + at.toLocalDate().toString().substring(0, 7),
                (w, at) -> w.campaign().equals("alpha") && !at.toLocalDate().isBefore(from) && !at.toLocalDate().isAfter(to));
    }

    private final Map<Long, String> cycles = new java.util.HashMap<>();

    private String cycleOf(Written w) {
        if (cycles.isEmpty()) {
            db.dsl().select(INVITATION.ID, INVITATION.CYCLE).from(INVITATION).forEach(r -> cycles.put(r.value1(), r.value2()));
        }
        return cycles.get(w.id());
    }

    @Test
    void everyBreakdownMatchesWhatTheRawRowsSay() {
        List<Reports> paths = bothPaths(ReportSettings.DEFAULT);
        Reports reports = paths.get(1);
        ReportQueries queries = new ReportQueries();
        LocalDate from = LocalDate.parse("2026-04-01");
        LocalDate to = LocalDate.parse("2026-06-30");
        // 1. every day still marked dirty: the raw rows only
        assertThat(db.dsl().fetchCount(db.dsl().selectDistinct(DSL.field("campaign_id"), DSL.field("day"))
                .from("report_dirty"))).isGreaterThan(300);
        checkAll(by -> queries.rows(db.dsl(), null, null, null, by),
                (campaign, by) -> queries.rows(db.dsl(), campaign, from, to.plusDays(1), by));
        // 2. refreshed: the roll-ups only
        assertThat(reports.refresh()).isGreaterThan(300);
        assertThat(db.dsl().fetchCount(DSL.table("report_dirty"))).isZero();
        checkAll(by -> queries.rows(db.dsl(), null, null, null, by),
                (campaign, by) -> queries.rows(db.dsl(), campaign, from, to.plusDays(1), by));
        // 3. writes after the refresh, as the product makes them: roll-ups for clean days, raw rows for these
        changeSome(new Random(7));
        assertThat(db.dsl().fetchCount(DSL.table("report_dirty"))).isPositive();
        checkAll(by -> queries.rows(db.dsl(), null, null, null, by),
                (campaign, by) -> queries.rows(db.dsl(), campaign, from, to.plusDays(1), by));
        // 4. and through Reports, which refreshes first, on the replica (loaded before those writes) and PostgreSQL
        for (Reports path : paths) {
            checkAll(by -> path.run(null, null, null, by), (campaign, by) -> path.run(campaign, from, to, by));
            assertThat(db.dsl().fetchCount(DSL.table("report_dirty"))).isZero();
        }
    }

    /** Answers, changed answers, failures, reminders sent, a bounce after sending, skips at dispatch. */
    private void changeSome(Random random) {
        for (int i = 0; i < written.size(); i++) {
            Written w = written.get(i);
            int what = random.nextInt(12);
            if (what == 0 && w.status().equals("sent") && w.score() == null) {
                // a late answer
                OffsetDateTime at = w.sentAt().plusDays(8);
                int score = random.nextInt(11);
                db.dsl().insertInto(RESPONSE).set(RESPONSE.INVITATION_ID, w.id()).set(RESPONSE.SCORE, (short) score)
                        .set(RESPONSE.CHANNEL, "web").set(RESPONSE.RECEIVED_AT, at).set(RESPONSE.UPDATED_AT, at).execute();
                db.dsl().update(INVITATION).set(INVITATION.STATUS, "responded").where(INVITATION.ID.eq(w.id())).execute();
                written.set(i, new Written(w.id(), w.campaign(), w.channel(), w.plan(), w.status(), w.sentAt(), w.inviteAt(),
                        score, at, w.plannedAt(), w.skipReason(), w.deferReason(), w.reminders()));
            } else if (what == 1 && w.score() != null) {
                // a changed answer
                int score = 10 - w.score();
                db.dsl().update(RESPONSE).set(RESPONSE.SCORE, (short) score).where(RESPONSE.INVITATION_ID.eq(w.id())).execute();
                written.set(i, new Written(w.id(), w.campaign(), w.channel(), w.plan(), w.status(), w.sentAt(), w.inviteAt(),
                        score, w.receivedAt(), w.plannedAt(), w.skipReason(), w.deferReason(), w.reminders()));
            } else if (what == 2 && w.status().equals("sent") && w.score() == null) {
                // the invite bounced
                db.dsl().update(INVITATION).set(INVITATION.STATUS, "failed").where(INVITATION.ID.eq(w.id())).execute();
                written.set(i, new Written(w.id(), w.campaign(), w.channel(), w.plan(), "failed", w.sentAt(), w.inviteAt(),
                        null, null, w.plannedAt(), w.skipReason(), w.deferReason(), w.reminders()));
            } else if (what == 3 && w.score() != null && w.reminders().stream().anyMatch(java.util.Objects::isNull)) {
                // a cancelled step recorded as sent after all, an hour before the answer
                int k = w.reminders().indexOf(null);
                OffsetDateTime at = w.receivedAt().minusHours(1);
                db.dsl().update(MESSAGE).set(MESSAGE.STATUS, "sent").set(MESSAGE.SENT_AT, at)
                        .where(MESSAGE.INVITATION_ID.eq(w.id()), MESSAGE.KIND.eq("reminder"), MESSAGE.STEP.eq(k + 1)).execute();
                List<OffsetDateTime> reminders = new ArrayList<>(w.reminders());
                reminders.set(k, at);
                written.set(i, new Written(w.id(), w.campaign(), w.channel(), w.plan(), w.status(), w.sentAt(), w.inviteAt(),
                        w.score(), w.receivedAt(), w.plannedAt(), w.skipReason(), w.deferReason(), reminders));
            } else if (what == 4 && w.status().equals("planned")) {
                // skipped at dispatch, or sent now
                if (random.nextBoolean()) {
                    db.dsl().update(INVITATION).set(INVITATION.STATUS, "skipped").set(INVITATION.SKIP_REASON, "suppressed")
                            .where(INVITATION.ID.eq(w.id())).execute();
                    written.set(i, new Written(w.id(), w.campaign(), w.channel(), w.plan(), "skipped", null, w.inviteAt(),
                            null, null, w.plannedAt(), "suppressed", w.deferReason(), w.reminders()));
                } else {
                    OffsetDateTime at = w.inviteAt().plusHours(30);
                    db.dsl().update(INVITATION).set(INVITATION.STATUS, "sent").set(INVITATION.SENT_AT, at)
                            .where(INVITATION.ID.eq(w.id())).execute();
                    written.set(i, new Written(w.id(), w.campaign(), w.channel(), w.plan(), "sent", at, w.inviteAt(),
                            null, null, w.plannedAt(), w.skipReason(), w.deferReason(), w.reminders()));
                }
            }
        }
    }

    /** The current fields of each contact, read back from the contact table. */
    record ContactNow(String plan, String region, String account, String mrr, OffsetDateTime onboardedAt,
                      LocalDate churnedAt) {
    }

    /**
     * Gives the contacts what segments and outcomes read, through the contacts import (a second file
     * over the same external ids): region, account, mrr (some empty, some not a number), onboarded_at
     * (0 to 4 years before the invitations, some none) and churned_at (a quarter of them).
     */
    private void segmentsAndOutcomes() {
        Random random = new Random(16);
        StringBuilder csv = new StringBuilder("external_id,email,region,account,mrr,onboarded_at,churned_at\n");
        for (int c = 0; c < 300; c++) {
            String region = List.of("north", "south", "east", "").get(c % 4);
            String account = c % 7 == 0 ? "" : "acct-" + (c % 25);
            // and some too wide for the replica's fast revenue column (7 decimals, over 10^12)
            String mrr = c % 6 == 0 ? "" : c % 11 == 0 ? "n/a" : c % 13 == 0 ? "1234567890123.4567891"
                    : c % 17 == 0 ? "0.1234567" : String.valueOf(c * 7.25);
            String onboarded = c % 13 == 0 ? "" : LocalDate.parse("2022-06-01").plusDays(random.nextInt(4 * 365)).toString();
            String churned = c % 4 == 1 ? LocalDate.parse("2026-01-01").plusDays(random.nextInt(600)).toString() : "";
            csv.append("c").append(c).append(",c").append(c).append("@example.com,").append(region).append(',')
                    .append(account).append(',').append(mrr).append(',').append(onboarded).append(',').append(churned)
                    .append('\n');
        }
        Fixtures.contacts(db.dsl(), CLOCK, csv.toString());
    }

    private Map<Long, ContactNow> contactsNow() {
        Map<Long, ContactNow> out = new java.util.HashMap<>();
        db.dsl().select(CONTACT.ID, CONTACT.ATTRIBUTES, CONTACT.ONBOARDED_AT, CONTACT.CHURNED_AT).from(CONTACT).forEach(r -> {
            JsonNode a = (JsonNode) parse(r.value2().data());
            out.put(r.value1(), new ContactNow(a.path("plan").asText(null), a.path("region").asText(null),
                    a.path("account").asText(null), a.path("mrr").asText(null), r.value3(), r.value4()));
        });
        return out;
    }

    private final Map<Long, Long> contactOf = new java.util.HashMap<>();

    private long contactId(Written w) {
        if (contactOf.isEmpty()) {
            db.dsl().select(INVITATION.ID, INVITATION.CONTACT_ID).from(INVITATION).forEach(r -> contactOf.put(r.value1(), r.value2()));
        }
        return contactOf.get(w.id());
    }

    private ContactNow contact(Map<Long, ContactNow> now, Written w) {
        return now.get(contactId(w));
    }

    private static String orNone(String value) {
        return value == null ? "(none)" : value;
    }

    private static String quarter(OffsetDateTime at) {
        return at.getYear() + "-Q" + ((at.getMonthValue() - 1) / 3 + 1);
    }

    private static String category(Integer score) {
        return score == null ? "(none)" : score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
    }

    /** The tenure bucket of a contact onboarded at {@code onboarded} when the invite went out at {@code at}: whole 24-hour days. */
    static String tenure(OffsetDateTime onboarded, OffsetDateTime at) {
        if (onboarded == null) {
            return "(none)";
        }
        long days = Math.floorDiv(java.time.Duration.between(onboarded, at).getSeconds(), 86400);
        return days <= 90 ? "0-90d" : days <= 180 ? "91-180d" : days <= 365 ? "181-365d" : days <= 730 ? "1-2y" : "2y+";
    }

    @Test
    void segmentsTenureCategoryAccountsAndTwoDimensionsMatchWhatTheRawRowsSay() {
        segmentsAndOutcomes();
        for (Reports reports : bothPaths(new ReportSettings("mrr", "account", null))) {
            segmentsTenureCategoryAccountsAndTwoDimensions(reports);
        }
    }

    private void segmentsTenureCategoryAccountsAndTwoDimensions(Reports reports) {
        Map<Long, ContactNow> now = contactsNow();
        java.util.function.BiPredicate<Written, OffsetDateTime> every = (w, at) -> true;
        java.util.function.BiFunction<Breakdown, SegmentFilter, List<ReportRow>> run =
                (by, where) -> reports.run(null, null, null, by, where, Reports.DEFAULT_CHURN_WINDOW);
        check(run.apply(Breakdown.parse("attr:plan,quarter"), SegmentFilter.NONE),
                (w, at) -> orNone(contact(now, w).plan()) + " / " + quarter(at), every);
        check(run.apply(Breakdown.parse("campaign,channel"), SegmentFilter.NONE),
                (w, at) -> w.campaign() + " / " + orNone(w.channel()), every);
        check(run.apply(Breakdown.parse("tenure"), SegmentFilter.NONE),
                (w, at) -> tenure(contact(now, w).onboardedAt(), at), every);
        check(run.apply(Breakdown.parse("category"), SegmentFilter.NONE), (w, at) -> category(w.score()), every);
        check(run.apply(Breakdown.parse("account"), SegmentFilter.NONE), (w, at) -> orNone(contact(now, w).account()), every);
        check(run.apply(Breakdown.parse("category,tenure"), SegmentFilter.NONE),
                (w, at) -> category(w.score()) + " / " + tenure(contact(now, w).onboardedAt(), at), every);
        // --where: values of one attribute OR-ed, attributes AND-ed
        SegmentFilter northOrSouthPro = SegmentFilter.parse(List.of("attr:region=north", "attr:plan=pro", "attr:region=south"));
        java.util.function.BiPredicate<Written, OffsetDateTime> inSegment = (w, at) -> {
            ContactNow c = contact(now, w);
            return ("north".equals(c.region()) || "south".equals(c.region())) && "pro".equals(c.plan());
        };
        List<ReportRow> quarters = run.apply(Breakdown.parse("quarter"), northOrSouthPro);
        check(quarters, (w, at) -> quarter(at), inSegment);
        assertThat(quarters).as("the segment is neither empty nor everything").isNotEmpty();
        assertThat(quarters.stream().mapToLong(ReportRow::invited).sum())
                .isLessThan(run.apply(Breakdown.parse("quarter"), SegmentFilter.NONE).stream().mapToLong(ReportRow::invited).sum());
        check(run.apply(Breakdown.ALL, northOrSouthPro), (w, at) -> "all", inSegment, true);
        LocalDate from = LocalDate.parse("2026-04-01");
        LocalDate to = LocalDate.parse("2026-06-30");
        check(reports.run("alpha", from, to, Breakdown.parse("channel"), northOrSouthPro, Reports.DEFAULT_CHURN_WINDOW),
                (w, at) -> orNone(w.channel()), (w, at) -> inSegment.test(w, at) && w.campaign().equals("alpha")
                        && !at.toLocalDate().isBefore(from) && !at.toLocalDate().isAfter(to));
    }

    @Test
    void theContactsCurrentAttributeCountsForEveryAnswer() {
        segmentsAndOutcomes();
        List<Reports> paths = bothPaths(ReportSettings.DEFAULT);
        // a pro contact with two answers moves to free between the report runs
        long moved = written.stream().filter(w -> "pro".equals(w.plan()) && w.score() != null)
                .collect(java.util.stream.Collectors.groupingBy(this::contactId, java.util.stream.Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() == 2).findFirst().orElseThrow().getKey();
        String externalId = db.dsl().select(CONTACT.EXTERNAL_ID).from(CONTACT).where(CONTACT.ID.eq(moved)).fetchSingle().value1();
        List<Map<String, Long>> before = paths.stream()
                .map(reports -> respondedByPlan(reports.run(null, null, null, Breakdown.parse("attr:plan")))).toList();
        Fixtures.contacts(db.dsl(), CLOCK, "external_id,email,plan\n" + externalId + "," + externalId + "@example.com,free\n");
        for (int p = 0; p < paths.size(); p++) {
            Reports reports = paths.get(p);
            Map<String, Long> after = respondedByPlan(reports.run(null, null, null, Breakdown.parse("attr:plan")));
            assertThat(after.get("pro")).isEqualTo(before.get(p).get("pro") - 2);
            assertThat(after.get("free")).isEqualTo(before.get(p).get("free") + 2);
            Map<Long, ContactNow> now = contactsNow();
            check(reports.run(null, null, null, Breakdown.parse("attr:plan")), (w, at) -> orNone(contact(now, w).plan()),
                    (w, at) -> true);
        }
    }

    private static Map<String, Long> respondedByPlan(List<ReportRow> rows) {
        Map<String, Long> out = new TreeMap<>();
        rows.forEach(r -> out.put(r.group(), r.responded()));
        return out;
    }

    @Test
    void revenueAndChurnMatchWhatTheRawRowsSay() {
        segmentsAndOutcomes();
        List<Reports> paths = bothPaths(new ReportSettings("mrr", "account", null));
        List<Reports> noRevenue = bothPaths(new ReportSettings("arr", "account", null));
        for (int p = 0; p < paths.size(); p++) {
            revenueAndChurn(paths.get(p), noRevenue.get(p));
        }
    }

    private void revenueAndChurn(Reports reports, Reports noRevenue) {
        Map<Long, ContactNow> now = contactsNow();
        java.util.function.BiPredicate<Written, OffsetDateTime> every = (w, at) -> true;
        for (java.time.Period window : List.of(Reports.DEFAULT_CHURN_WINDOW, java.time.Period.ofDays(180))) {
            checkOutcomes(reports.run(null, null, null, Breakdown.parse("category"), SegmentFilter.NONE, window),
                    (w, at) -> category(w.score()), every, now, window);
        }
        java.time.Period year = Reports.DEFAULT_CHURN_WINDOW;
        // the roll-up breakdowns (refreshed by the first run) and the raw ones
        checkOutcomes(reports.run(null, null, null, Breakdown.parse("quarter"), SegmentFilter.NONE, year),
                (w, at) -> quarter(at), every, now, null);
        checkOutcomes(reports.run(null, null, null, Breakdown.ALL, SegmentFilter.NONE, year), (w, at) -> "all", every, now, null);
        checkOutcomes(reports.run(null, null, null, Breakdown.parse("attr:plan,campaign"), SegmentFilter.NONE, year),
                (w, at) -> orNone(contact(now, w).plan()) + " / " + w.campaign(), every, now, null);
        checkOutcomes(reports.run(null, null, null, Breakdown.parse("account"),
                        SegmentFilter.parse(List.of("attr:region=east")), year),
                (w, at) -> orNone(contact(now, w).account()), (w, at) -> "east".equals(contact(now, w).region()), now, null);
        // the pages that show no revenue ask without outcomes or the median: the same rows without them
        for (String by : List.of("quarter", "attr:plan", "category,channel", "")) {
            List<ReportRow> full = reports.run(null, null, null, Breakdown.parse(by), SegmentFilter.NONE, year);
            assertThat(full).as(by).anyMatch(r -> r.medianHoursToRespond() != null);
            List<ReportRow> without = reports.runWithoutOutcomes(null, null, null, Breakdown.parse(by), SegmentFilter.NONE);
            assertThat(without).as(by).isNotEmpty().allSatisfy(r -> {
                assertThat(r.revenue()).isNull();
                assertThat(r.churnRate()).isNull();
                assertThat(r.medianHoursToRespond()).isNull();
            }).isEqualTo(full.stream().map(r -> r.with(null, null).withoutMedian()).toList());
        }
        // no contact with the revenue attribute: no revenue figures at all
        List<ReportRow> none = noRevenue.run(null, null, null, Breakdown.parse("campaign"));
        assertThat(none).isNotEmpty().allSatisfy(r -> {
            assertThat(r.revenue()).isNull();
            assertThat(r.revenueWeightedNps()).isNull();
            assertThat(r.revenueAtRisk()).isNull();
            assertThat(r.churnRate()).isNull();
        });
    }

    /** Each respondent of a group once, by their latest answer in it; revenue as a number or nothing. */
    private void checkOutcomes(List<ReportRow> rows, java.util.function.BiFunction<Written, OffsetDateTime, String> groupOf,
                               java.util.function.BiPredicate<Written, OffsetDateTime> in, Map<Long, ContactNow> now,
                               java.time.Period window) {
        Map<String, Map<Long, Written>> latest = new TreeMap<>();
        for (Written w : written) {
            boolean invited = w.sentAt() != null || w.status().equals("failed");
            if (invited && w.score() != null && in.test(w, at(w))) {
                latest.computeIfAbsent(groupOf.apply(w, at(w)), k -> new java.util.HashMap<>())
                        .merge(contactId(w), w, (a, b) -> a.receivedAt().isAfter(b.receivedAt()) ? a : b);
            }
        }
        assertThat(rows).isNotEmpty();
        boolean someRevenue = false;
        for (ReportRow row : rows) {
            java.util.Collection<Written> respondents = latest.getOrDefault(row.group(), Map.of()).values();
            java.math.BigDecimal revenue = null;
            java.math.BigDecimal promoters = java.math.BigDecimal.ZERO;
            java.math.BigDecimal detractors = java.math.BigDecimal.ZERO;
            long churned = 0;
            for (Written w : respondents) {
                ContactNow c = contact(now, w);
                String mrr = c.mrr();
                if (mrr != null && mrr.matches("\\s*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)\\s*")) {
                    java.math.BigDecimal value = new java.math.BigDecimal(mrr.strip());
                    revenue = revenue == null ? value : revenue.add(value);
                    if (w.score() >= 9) {
                        promoters = promoters.add(value);
                    } else if (w.score() <= 6) {
                        detractors = detractors.add(value);
                    }
                }
                LocalDate answered = w.receivedAt().withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
                if (window != null && c.churnedAt() != null && !c.churnedAt().isBefore(answered)
                        && !c.churnedAt().isAfter(answered.plus(window))) {
                    churned++;
                }
            }
            if (revenue == null) {
                assertThat(row.revenue()).as("revenue of %s", row.group()).isNull();
                assertThat(row.revenueAtRisk()).isNull();
                assertThat(row.revenueWeightedNps()).isNull();
            } else {
                someRevenue = true;
                assertThat(row.revenue()).as("revenue of %s", row.group()).isEqualByComparingTo(revenue);
                assertThat(row.revenueAtRisk()).as("revenue at risk of %s", row.group()).isEqualByComparingTo(detractors);
                assertThat(row.revenueWeightedNps()).as("revenue-weighted NPS of %s", row.group()).isEqualTo(
                        revenue.signum() == 0 ? null
                                : oneDecimal(100.0 * promoters.subtract(detractors).doubleValue() / revenue.doubleValue()));
            }
            if (window == null) {
                assertThat(row.churnRate()).isNull();
            } else {
                assertThat(row.churnRate()).as("churn rate of %s", row.group())
                        .isEqualTo(respondents.isEmpty() ? null : oneDecimal(100.0 * churned / respondents.size()));
            }
        }
        assertThat(someRevenue).as("some group has revenue").isTrue();
    }

    @Test
    void theCommandPrintsTheContractsJson() throws Exception {
        CliRun run = CliRun.run(db.settings(), "report", "--campaign", "alpha", "--by", "quarter", "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode rows = JSON.readTree(run.out());
        List<Reports> paths = bothPaths(ReportSettings.DEFAULT);
        List<ReportRow> expected = paths.get(1).run("alpha", null, null, Breakdown.parse("quarter"));
        assertThat(paths.get(0).run("alpha", null, null, Breakdown.parse("quarter"))).isEqualTo(expected);
        assertThat(paths.get(2).run("alpha", null, null, Breakdown.parse("quarter"))).isEqualTo(expected);
        assertThat(rows.size()).isEqualTo(expected.size());
        int q = expected.stream().map(ReportRow::group).toList().indexOf("2026-Q1");
        JsonNode first = rows.get(q);
        assertThat(first.get("group").asText()).isEqualTo("2026-Q1");
        for (String field : List.of("group", "invited", "delivered", "failed", "responded", "response_rate", "nps",
                "promoters", "passives", "detractors", "margin_of_error", "scores", "reminder_lift", "skipped", "deferred")) {
            assertThat(first.has(field)).as(field).isTrue();
        }
        ReportRow q1 = expected.get(q);
        assertThat(first.get("nps").asDouble()).isEqualTo(q1.nps());
        assertThat(first.get("reminder_lift").size()).isEqualTo(q1.lift().size()).isEqualTo(3);
        for (int k = 0; k < q1.lift().size(); k++) {
            JsonNode step = first.get("reminder_lift").get(k);
            assertThat(step.get("step").asInt()).isEqualTo(k);
            assertThat(step.get("responded").asLong()).isEqualTo(q1.lift().get(k));
            assertThat(step.get("points").asDouble()).isEqualTo(q1.liftPoints().get(k));
        }
        assertThat(first.get("skipped").get("fatigue").asLong()).isEqualTo(q1.skipped().get("fatigue"));
        assertThat(first.get("deferred").get("send_window").asLong()).isEqualTo(q1.deferred().get("send_window"));
        assertThat(CliRun.run(db.settings(), "report", "--by", "week").exitCode()).isEqualTo(2);
        assertThat(CliRun.run(db.settings(), "report", "--campaign", "nope").err()).contains("--campaign");
        CliRun csv = CliRun.run(db.settings(), "report", "--by", "channel", "--format", "csv");
        assertThat(csv.out().lines().findFirst().orElseThrow()).startsWith("group,invited,delivered,failed,responded");
        // email and sms; no (none) row of zeros for the invitations skipped before a channel was chosen
        assertThat(csv.out().lines().count()).isEqualTo(3);
        assertThat(csv.out()).doesNotContain("(none)");
    }

    /**
     * What the replica must carry besides ReportsTest's invitations: comments and themes on answers,
     * answers collected offline, answers credited to the channel of the message that led to them.
     */
    private void commentsThemesOfflineAndCredit(Random random) {
        new io.surveycast.theme.Themes(db.dsl(), CLOCK).ensureDefaults("test");
        List<String> themes = db.dsl().select(DSL.field("key", String.class)).from("theme").orderBy(DSL.field("key"))
                .fetch(r -> r.value1());
        var answers = db.dsl().select(RESPONSE.ID, RESPONSE.INVITATION_ID).from(RESPONSE).orderBy(RESPONSE.ID).fetch();
        for (var a : answers) {
            int what = random.nextInt(6);
            if (what < 3) {
                db.dsl().update(RESPONSE).set(RESPONSE.COMMENT, what == 0 ? "   " : "about " + a.value1())
                        .where(RESPONSE.ID.eq(a.value1())).execute();
            }
            if (what > 0 && what < 5) {
                for (String theme : themes) {
                    if (random.nextInt(4) == 0) {
                        db.dsl().insertInto(DSL.table("response_theme"), DSL.field("response_id"), DSL.field("theme_key"),
                                DSL.field("source")).values(a.value1(), theme, "manual").execute();
                    }
                }
            }
            if (what == 5) {
                // credited to an sms reminder that led to the answer
                Long message = db.dsl().select(MESSAGE.ID).from(MESSAGE).where(MESSAGE.INVITATION_ID.eq(a.value2()))
                        .orderBy(MESSAGE.ID).limit(1).fetchOne(MESSAGE.ID);
                if (message != null) {
                    db.dsl().update(MESSAGE).set(MESSAGE.CHANNEL, "sms").where(MESSAGE.ID.eq(message)).execute();
                    db.dsl().update(RESPONSE).set(RESPONSE.VIA_MESSAGE_ID, message).where(RESPONSE.ID.eq(a.value1())).execute();
                }
            }
        }
        // churn on the day of the latest answer and on the last day of each window tried: the bounds count
        db.dsl().execute("""
                update contact ct set churned_at = a.day + case ct.id % 5 when 0 then interval '0 days'
                    when 1 then interval '1 month 3 days' else interval '365 days' end
                from (select i.contact_id, max((r.received_at at time zone 'UTC')::date) as day
                      from invitation i join response r on r.invitation_id = i.id group by i.contact_id) a
                where a.contact_id = ct.id and ct.id % 5 < 3""");
        var contacts = db.dsl().select(CONTACT.ID).from(CONTACT).orderBy(CONTACT.ID).limit(40).fetch(CONTACT.ID);
        long alpha = db.dsl().select(CAMPAIGN.ID).from(CAMPAIGN).where(CAMPAIGN.KEY.eq("alpha")).fetchSingle().value1();
        for (long contact : contacts) {
            OffsetDateTime at = OffsetDateTime.parse("2026-01-01T00:00:00Z").plusHours(random.nextInt(365 * 24));
            long invitation = db.dsl().insertInto(INVITATION).set(INVITATION.CAMPAIGN_ID, alpha)
                    .set(INVITATION.CONTACT_ID, contact).set(INVITATION.CYCLE, "offline:" + at.toInstant())
                    .set(INVITATION.CHANNEL, "offline").set(INVITATION.STATUS, "responded")
                    .set(INVITATION.TRIGGER_AT, at).set(INVITATION.PLANNED_AT, at).set(INVITATION.INVITE_AT, at)
                    .set(INVITATION.SENT_AT, at).set(INVITATION.RESPONDED_AT, at)
                    .returning(INVITATION.ID).fetchOne(INVITATION.ID);
            db.dsl().insertInto(RESPONSE).set(RESPONSE.INVITATION_ID, invitation).set(RESPONSE.SCORE, (short) random.nextInt(11))
                    .set(RESPONSE.CHANNEL, "web").set(RESPONSE.RECEIVED_AT, at).set(RESPONSE.UPDATED_AT, at).execute();
        }
    }

    /** Every breakdown, every pair of two, --where and from/to, with and without --campaign: the replica's rows are PostgreSQL's. */
    @Test
    void theReplicaGivesWhatPostgreSQLGives() throws Exception {
        segmentsAndOutcomes();
        commentsThemesOfflineAndCredit(new Random(5));
        ReportQueries pg = new ReportQueries();
        ReplicaQueries replica = new ReplicaQueries();
        List<String> kinds = List.of("campaign", "wave", "channel", "month", "quarter", "attr:plan", "tenure", "category",
                "account");
        List<String> breakdowns = new ArrayList<>(kinds);
        breakdowns.add("");
        breakdowns.add("theme");
        for (int a = 0; a < kinds.size(); a++) {
            for (int b = a + 1; b < kinds.size(); b++) {
                // each pair once, in either order
                breakdowns.add((a + b) % 2 == 0 ? kinds.get(a) + "," + kinds.get(b) : kinds.get(b) + "," + kinds.get(a));
            }
        }
        List<SegmentFilter> segments = List.of(SegmentFilter.NONE, SegmentFilter.parse(List.of("attr:region=north")),
                SegmentFilter.parse(List.of("attr:region=north", "attr:plan=pro", "attr:region=south")));
        // days on a quarter's bounds (the replica adds up its stored latest answers) and days that are not
        LocalDate from = LocalDate.parse("2026-04-01");
        LocalDate quarterEnd = LocalDate.parse("2026-06-30");
        LocalDate to = LocalDate.parse("2026-07-01");
        ReportSettings settings = new ReportSettings("mrr", "account", null);
        List<Reports> paths = bothPaths(settings);
        ReportReplica duck = replicas.get(0);
        List<ReportQuery> queries = new ArrayList<>();
        for (String by : breakdowns) {
            for (int k = 0; k < 6; k++) {
                SegmentFilter where = segments.get(k % 3 == 0 ? 0 : (by.hashCode() + k) % 3 == 0 ? 1 : 2);
                queries.add(new ReportQuery(k % 2 == 0 ? null : "alpha", k < 2 ? null : from,
                        k < 2 ? null : k < 4 ? quarterEnd.plusDays(1) : to.plusDays(1),
                        Breakdown.parse(by), k == 5 ? segments.get(1) : where, "account"));
            }
        }
        // churn only with category: a second window (months, then days) there
        java.util.function.Function<ReportQuery, List<java.time.Period>> windows = q -> q.by().has("category")
                ? List.of(java.time.Period.ofDays(365), java.time.Period.parse("P1M3D")) : List.of(java.time.Period.ofDays(365));
        // the replica's answers in one query (one sync), then PostgreSQL's
        List<Object> onReplica = duck.query(db.dsl(), c -> {
            List<Object> out = new ArrayList<>();
            for (ReportQuery q : queries) {
                out.add(replica.rows(c, q));
                for (java.time.Period window : windows.apply(q)) {
                    out.add(replica.outcomes(c, q, true, window));
                }
            }
            return out;
        }).orElseThrow();
        int compared = 0;
        int next = 0;
        for (ReportQuery q : queries) {
            List<ReportRow> expected = pg.rows(db.dsl(), q);
            assertThat(onReplica.get(next++)).as("rows of %s", q).isEqualTo(expected);
            for (java.time.Period window : windows.apply(q)) {
                assertThat(onReplica.get(next++)).as("outcomes of %s", q)
                        .isEqualTo(pg.outcomes(db.dsl(), q, "mrr", window.toString()));
            }
            compared += expected.size();
        }
        assertThat(compared).isGreaterThan(1000);
        // through Reports: a contact whose plan changes between two of their answers (the current value
        // counts for both, on both paths), then an answer written right before the report
        long moved = db.dsl().select(INVITATION.CONTACT_ID).from(INVITATION).join(RESPONSE).on(RESPONSE.INVITATION_ID.eq(INVITATION.ID))
                .groupBy(INVITATION.CONTACT_ID).having(DSL.count().ge(2)).orderBy(INVITATION.CONTACT_ID).limit(1)
                .fetchSingle().value1();
        String externalId = db.dsl().select(CONTACT.EXTERNAL_ID).from(CONTACT).where(CONTACT.ID.eq(moved)).fetchSingle().value1();
        Breakdown byPlan = Breakdown.parse("attr:plan,quarter");
        List<ReportRow> before = paths.get(0).run(null, null, null, byPlan, SegmentFilter.NONE, Reports.DEFAULT_CHURN_WINDOW);
        Fixtures.contacts(db.dsl(), CLOCK, "external_id,email,plan\n" + externalId + "," + externalId + "@example.com,gold\n");
        List<ReportRow> after = paths.get(0).run(null, null, null, byPlan, SegmentFilter.NONE, Reports.DEFAULT_CHURN_WINDOW);
        assertThat(after).isNotEqualTo(before).anyMatch(r -> r.groups().get(0).equals("gold"))
                .isEqualTo(paths.get(1).run(null, null, null, byPlan, SegmentFilter.NONE, Reports.DEFAULT_CHURN_WINDOW));
        long unanswered = written.stream().filter(w -> w.status().equals("sent") && w.score() == null).findFirst()
                .orElseThrow().id();
        Breakdown byCategory = Breakdown.parse("category,wave");
        long answeredBefore = paths.get(0).run(null, null, null, byCategory).stream().mapToLong(ReportRow::responded).sum();
        OffsetDateTime now = OffsetDateTime.parse("2027-01-14T00:00:00Z");
        db.dsl().insertInto(RESPONSE).set(RESPONSE.INVITATION_ID, unanswered).set(RESPONSE.SCORE, (short) 9)
                .set(RESPONSE.CHANNEL, "web").set(RESPONSE.RECEIVED_AT, now).set(RESPONSE.UPDATED_AT, now).execute();
        List<ReportRow> replicaRows = paths.get(0).run(null, null, null, byCategory);
        assertThat(replicaRows.stream().mapToLong(ReportRow::responded).sum()).isEqualTo(answeredBefore + 1);
        assertThat(replicaRows).isEqualTo(paths.get(1).run(null, null, null, byCategory));
    }

    private void check(List<ReportRow> rows, java.util.function.BiFunction<Written, OffsetDateTime, String> groupOf,
                       java.util.function.BiPredicate<Written, OffsetDateTime> in) {
        check(rows, groupOf, in, false);
    }

    /** @param skipOnlyGroups whether groups with skips or deferrals but nothing sent are rows (one row, per campaign) */
    private void check(List<ReportRow> rows, java.util.function.BiFunction<Written, OffsetDateTime, String> groupOf,
                       java.util.function.BiPredicate<Written, OffsetDateTime> in, boolean skipOnlyGroups) {
        Map<String, List<Written>> groups = new TreeMap<>();
        Map<String, Map<String, Long>> skips = new TreeMap<>();
        Map<String, Map<String, Long>> defers = new TreeMap<>();
        for (Written w : written) {
            boolean invited = w.sentAt() != null || w.status().equals("failed");
            if (invited && in.test(w, at(w))) {
                groups.computeIfAbsent(groupOf.apply(w, at(w)), k -> new ArrayList<>()).add(w);
            }
            OffsetDateTime planned = w.plannedAt().withOffsetSameInstant(ZoneOffset.UTC);
            if (w.skip() != null && in.test(w, planned)) {
                skips.computeIfAbsent(groupOf.apply(w, planned), k -> new TreeMap<>()).merge(w.skip(), 1L, Long::sum);
            }
            if (w.deferReason() != null && in.test(w, planned)) {
                defers.computeIfAbsent(groupOf.apply(w, planned), k -> new TreeMap<>()).merge(w.deferReason(), 1L, Long::sum);
            }
        }
        java.util.Set<String> keys = new java.util.TreeSet<>(groups.keySet());
        if (skipOnlyGroups) {
            keys.addAll(skips.keySet());
            keys.addAll(defers.keySet());
        }
        assertThat(rows).extracting(ReportRow::group).containsExactlyElementsOf(keys);
        for (ReportRow row : rows) {
            assertThat(row.skipped()).as("skips of %s", row.group()).isEqualTo(skips.getOrDefault(row.group(), Map.of()));
            assertThat(row.deferred()).as("deferrals of %s", row.group()).isEqualTo(defers.getOrDefault(row.group(), Map.of()));
            List<Written> g = groups.getOrDefault(row.group(), List.of());
            if (g.isEmpty()) {
                assertThat(row.invited()).isZero();
                assertThat(row.lift()).isEmpty();
                continue;
            }
            long failed = g.stream().filter(w -> w.status().equals("failed")).count();
            List<Integer> scores = g.stream().map(Written::score).filter(java.util.Objects::nonNull).toList();
            long promoters = scores.stream().filter(s -> s >= 9).count();
            long detractors = scores.stream().filter(s -> s <= 6).count();
            long passives = scores.size() - promoters - detractors;
            long delivered = g.size() - failed;
            assertThat(row.invited()).as(row.group()).isEqualTo(g.size());
            assertThat(row.delivered()).isEqualTo(delivered);
            assertThat(row.responded()).isEqualTo(scores.size());
            assertThat(row.responseRate()).isEqualTo(delivered == 0 ? null : oneDecimal(100.0 * scores.size() / delivered));
            if (scores.isEmpty()) {
                assertThat(row.nps()).isNull();
                assertThat(row.medianHoursToRespond()).isNull();
                assertThat(row.lift()).isEmpty();
                continue;
            }
            double p = (double) promoters / scores.size();
            double d = (double) detractors / scores.size();
            assertThat(row.nps()).as("NPS of %s", row.group()).isEqualTo(oneDecimal(100 * (p - d)));
            assertThat(row.promoterShare()).isEqualTo(oneDecimal(100 * p));
            assertThat(row.passiveShare()).isEqualTo(oneDecimal(100.0 * passives / scores.size()));
            assertThat(row.detractorShare()).isEqualTo(oneDecimal(100 * d));
            assertThat(row.marginOfError()).isEqualTo(oneDecimal(1.96 * 100 * Math.sqrt((p + d - (p - d) * (p - d)) / scores.size())));
            for (int s = 0; s <= 10; s++) {
                int score = s;
                assertThat(row.scores().get(s)).isEqualTo(scores.stream().filter(x -> x == score).count());
            }
            // in seconds, then hours, as PostgreSQL's percentile_cont and the report do it (a median of
            // 103.45 hours rounds differently when averaged in hours)
            List<Double> seconds = g.stream().filter(w -> w.score() != null)
                    .map(w -> (double) (w.receivedAt().toEpochSecond() - w.sentAt().toEpochSecond())).sorted().toList();
            double lo = seconds.get((seconds.size() - 1) / 2);
            double hi = seconds.get(seconds.size() / 2);
            assertThat(row.medianHoursToRespond()).as("median of %s", row.group())
                    .isEqualTo(ReportRow.round((lo + (hi - lo) * 0.5) / 3600));
            // lift: responses by the last step sent before them; as points of delivered
            List<Long> lift = new ArrayList<>();
            g.stream().filter(w -> w.score() != null).forEach(w -> {
                while (lift.size() <= w.step()) {
                    lift.add(0L);
                }
                lift.set(w.step(), lift.get(w.step()) + 1);
            });
            assertThat(row.lift()).as("lift of %s", row.group()).isEqualTo(lift);
            for (int k = 0; k < lift.size(); k++) {
                assertThat(row.liftPoints().get(k)).isEqualTo(oneDecimal(100.0 * lift.get(k) / delivered));
            }
        }
    }

    private static OffsetDateTime at(Written w) {
        return (w.sentAt() != null ? w.sentAt() : w.inviteAt()).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static double oneDecimal(double value) {
        return java.math.BigDecimal.valueOf(value).setScale(1, java.math.RoundingMode.HALF_UP).doubleValue();
    }

    private static Object parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
