package io.surveycast.schedule;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.EVENT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.campaign.CampaignDefinition;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.campaign.SendWindow;
import io.surveycast.plan.PlanCampaign;
import io.surveycast.plan.PlanCounts;
import io.surveycast.plan.Planner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A year of scheduling on random but seeded data, through the real contacts import, campaigns apply
 * and due-runner (every 6 hours from 2026-12-01 to 2027-12-31): the three example campaigns plus an
 * event campaign and two more drawn at random; contacts across time zones, some reachable by SMS
 * only, some with no time zone; tickets closed every day (events), some answers (responses), a few
 * opt-outs every week and many half-way (suppressions), late joiners and renewals rolled over a
 * year half-way. Then invariants are checked on the stored rows: fatigue (90 days between surveys,
 * 4 a year, 3 messages a week), consent, send windows and SMS quiet hours, idempotency, one invite
 * per invitation, reminders only while unanswered and unexpired; and that the limits were reached.
 * Every campaign sends promoters a follow-up email a day after their answer (issue 14.4),
 * and some promoters change their answer to 8 within its 24 hours: those emails count in every
 * check above, and go only to answers that are still a promoter's, once each (7c).
 *
 * <p>There is no dispatcher yet: a message's {@code not_before} is its send time and an
 * invitation's {@code invite_at} its survey time. Because nothing marks messages sent, expiry
 * cancels the queued messages of every expired invitation, including those whose time had long
 * come; such a message (cancelled with reason {@code expired} after its {@code not_before}) went
 * out in this model and counts as sent in the checks below.
 *
 * <p>Another seed: {@code -Dsimyear.seed=N}; another size: {@code -Dsimyear.contacts=N}. The run
 * time is mostly a fixed cost per due-run (one statement per campaign and per reminder step).
 */
class SimulatedYearTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    static final long SEED = Long.getLong("simyear.seed", 20261201L);
    static final int CONTACTS = Integer.getInteger("simyear.contacts", 280);
    static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    static final Instant LAST_DAY = Instant.parse("2027-12-31T00:00:00Z");
    static final Instant MID = Instant.parse("2027-06-16T00:00:00Z");
    static final Duration STEP = Duration.ofHours(6);
    static final String TICKET_EVENT = "ticket_closed";

    static final List<String> ZONES = List.of("America/New_York", "America/Los_Angeles", "Europe/Paris",
            "Australia/Sydney", "Asia/Tokyo");
    static final List<String> WINDOWS = java.util.Arrays.asList("MON-FRI 09:00-17:00", "TUE-THU 10:00-16:00",
            "MON-SAT 07:00-22:00", "SAT-SUN 10:00-14:00", "FRI-MON 18:00-23:30", "MON,WED,FRI 06:00-09:00", null);
    /** Windows reaching well outside 08:00-21:00, where SMS quiet hours must cut in. */
    static final List<String> QUIET_HOURS_WINDOWS = java.util.Arrays.asList("MON-SUN 06:00-23:00", null);
    static final Set<String> OUT = Set.of("queued", "sent", "delivered");
    /**
     * The promoter follow-up of every campaign: a day after the answer, so an answer
     * changed within its 24 hours is changed before the email is due (in this dispatcher-less model
     * nothing checks the score again at sending time, as the dispatcher does).
     */
    static final String PROMOTER_FOLLOW_UP = """
            follow-up:
              links: {review: "https://reviews.example.com/acme"}
              promoter-email: {template: promoter-thanks, after: P1D}
            """;
    static final Duration PROMOTER_DELAY = Duration.ofDays(1);

    final Random random = new Random(SEED);                 // contacts, events, responses, suppressions
    final Random dice = new Random(SEED * 31 + 7);          // the random campaigns, whatever the number of contacts
    final Random changes = new Random(SEED * 17 + 3);       // promoters changing their answer, apart from the rest
    long changedAnswers;
    // waves in batches of 100 contact ids on two connections, as large waves are planned (Planner.WAVE_BATCH)
    final Planner planner = new Planner(FatiguePolicy.DEFAULT, 100, 2);
    final List<Person> people = new ArrayList<>();
    final Map<String, Long> contactIds = new HashMap<>();
    final Set<String> suppressed = new HashSet<>();
    int phoneCounter = 100;
    int eventCounter;

    record Person(String externalId, String email, String phone, String name, String locale, String timezone,
                  String onboardedAt, LocalDate renewalDate, String plan) {
        Person withRenewal(LocalDate date) {
            return new Person(externalId, email, phone, name, locale, timezone, onboardedAt, date, plan);
        }
    }

    @Test
    void aYearOfSchedulingKeepsFatigueConsentAndSendWindows() {
        long started = System.nanoTime();
        DSLContext dsl = db.dsl();
        Clock importClock = Clock.fixed(START.minus(Duration.ofDays(1)), ZoneOffset.UTC);

        for (int i = 0; i < CONTACTS; i++) {
            people.add(person("c" + String.format("%04d", i), LocalDate.of(2026, 10, 1), 446));
        }
        Fixtures.contacts(dsl, importClock, csv(people));
        // the three examples as written, with the promoter follow-up added where a file has no follow-up block
        for (String example : List.of("onboarding-nps", "quarterly-nps", "renewal-nps")) {
            String yaml = readExample(example);
            Fixtures.campaign(dsl, importClock, yaml.contains("\nfollow-up:") ? yaml : yaml + PROMOTER_FOLLOW_UP);
        }
        List<String> extraKeys = new ArrayList<>();
        for (String yaml : List.of(eventCampaign(), pulseCampaign(), followUpCampaign(), MONTHLY_CHECK_IN)) {
            System.out.println(yaml);
            Fixtures.campaign(dsl, importClock, yaml + PROMOTER_FOLLOW_UP);
            extraKeys.add(yaml.lines().filter(l -> l.startsWith("key: ")).findFirst().orElseThrow().substring(5));
        }
        assertThat(dsl.fetchCount(CAMPAIGN)).as("3 examples + 3 random campaigns + the monthly check-in applied").isEqualTo(7);
        refreshContactIds(dsl);

        DueRunner runner = new DueRunner(dsl, planner);
        PlanCounts total = new PlanCounts();
        long responses = 0;
        Instant lastStep = null;
        for (Instant day = START; !day.isAfter(LAST_DAY); day = day.plus(Duration.ofDays(1))) {
            if (day.equals(MID)) {
                midYear(dsl, day);
            }
            insertEvents(dsl, day);
            responses += respond(dsl, day);
            scatteredSuppressions(dsl, day);
            Instant until = day.plus(Duration.ofHours(18));
            total.addAll(runner.runSteps(day, until, STEP, t -> { }));
            lastStep = until;
            if (day.atZone(ZoneOffset.UTC).getDayOfMonth() == 1) {
                // 6. (also once a month) the same instant again does nothing
                String rows = digest(dsl);
                PlanCounts repeat = runner.runAt(until);
                assertThat(repeat.invited() + repeat.remind().values().stream().mapToLong(Long::longValue).sum()
                        + repeat.expired()).as("invitations, reminders and expiries on re-running " + until).isZero();
                assertThat(digest(dsl)).as("rows after re-running " + until).isEqualTo(rows);
            }
        }

        // 6. idempotency: the last instant again plans, reminds and expires nothing, and changes no row
        String before = digest(dsl);
        PlanCounts again = runner.runAt(lastStep);
        assertThat(again.invited()).as("invitations planned by re-running " + lastStep).isZero();
        assertThat(again.remind().values().stream().mapToLong(Long::longValue).sum()).as("reminders on re-run").isZero();
        assertThat(again.expired()).as("expired on re-run").isZero();
        assertThat(digest(dsl)).as("rows after re-running the last step").isEqualTo(before);

        Data data = load(dsl);
        String summary = summary(data, total, responses, System.nanoTime() - started);
        System.out.println(summary);

        List<String> violations = new ArrayList<>();

        // 1. at least 90 days between two survey invitations to a contact, across campaigns
        // 2. at most 4 survey invitations in any 365 days
        Map<Long, List<Inv>> surveys = data.invitations.values().stream().filter(Inv::surveyed)
                .sorted(Comparator.comparing(Inv::inviteAt))
                .collect(Collectors.groupingBy(Inv::contactId, TreeMap::new, Collectors.toList()));
        List<String> gap = new ArrayList<>();
        List<String> perYear = new ArrayList<>();
        Duration[] minGap = {Duration.ofDays(9999)};
        int[] fourInAYear = {0};
        surveys.forEach((contact, list) -> {
            for (int k = 3; k < list.size(); k++) {
                if (Duration.between(list.get(k - 3).inviteAt, list.get(k).inviteAt).compareTo(Duration.ofDays(365)) < 0) {
                    fourInAYear[0]++;
                    break;
                }
            }
            for (int k = 1; k < list.size(); k++) {
                Duration between = Duration.between(list.get(k - 1).inviteAt, list.get(k).inviteAt);
                minGap[0] = between.compareTo(minGap[0]) < 0 ? between : minGap[0];
                if (between.compareTo(Duration.ofDays(90)) < 0) {
                    gap.add(data.describe(list.get(k - 1)) + " and " + data.describe(list.get(k)));
                }
            }
            for (int k = 4; k < list.size(); k++) {
                if (Duration.between(list.get(k - 4).inviteAt, list.get(k).inviteAt).compareTo(Duration.ofDays(365)) < 0) {
                    perYear.add(list.subList(k - 4, k + 1).stream().map(data::describe).collect(Collectors.joining(", ")));
                }
            }
        });
        report(violations, "1. survey invitations less than 90 days apart", gap);
        report(violations, "2. more than 4 survey invitations in 365 days", perYear);

        // 3. at most 3 messages in any 7 days
        Map<Long, List<Msg>> sentPerContact = data.messages.stream().filter(Msg::wentOut)
                .sorted(Comparator.comparing(Msg::notBefore))
                .collect(Collectors.groupingBy(Msg::contactId, TreeMap::new, Collectors.toList()));
        List<String> perWeek = new ArrayList<>();
        int[] threeInAWeek = {0};
        sentPerContact.forEach((contact, list) -> {
            for (int k = 2; k < list.size(); k++) {
                if (Duration.between(list.get(k - 2).notBefore, list.get(k).notBefore).compareTo(Duration.ofDays(7)) < 0) {
                    threeInAWeek[0]++;
                    break;
                }
            }
            for (int k = 3; k < list.size(); k++) {
                if (Duration.between(list.get(k - 3).notBefore, list.get(k).notBefore).compareTo(Duration.ofDays(7)) < 0) {
                    perWeek.add(list.subList(k - 3, k + 1).stream().map(data::describe).collect(Collectors.joining(", ")));
                }
            }
        });
        report(violations, "3. more than 3 messages in 7 days", perWeek);
        String tightness = "limits reached: shortest gap between two surveys " + minGap[0] + ", " + fourInAYear[0]
                + " contacts with 4 surveys within 365 days, " + threeInAWeek[0] + " with 3 messages within 7 days";
        System.out.println(tightness);
        System.out.println(observations(data, surveys));

        // 4. nothing queued after a suppression on its channel
        List<String> consent = new ArrayList<>();
        for (Supp s : data.suppressions) {
            for (Msg m : sentPerContact.getOrDefault(s.contactId, List.of())) {
                if (m.channel.equals(s.channel) && !m.createdAt.isBefore(s.at)) {
                    consent.add(data.describe(m) + " created " + m.createdAt + " after " + s.channel + " " + s.reason
                            + " at " + s.at);
                }
            }
        }
        report(violations, "4. messages queued on a suppressed channel", consent);

        // 5. send window (and SMS quiet hours) in the recipient's local time
        List<String> windows = new ArrayList<>();
        for (Msg m : data.messages) {
            if (!m.wentOut()) {
                continue;
            }
            Inv inv = data.invitations.get(m.invitationId);
            PlanCampaign campaign = data.campaigns.get(inv.campaignId);
            Cont contact = data.contacts.get(m.contactId);
            String zone = contact.timezone != null ? contact.timezone : contact.phoneTimezone != null
                    ? contact.phoneTimezone : campaign.definition().timezone() != null ? campaign.definition().timezone().getId() : "UTC";
            ZonedDateTime local = m.notBefore.atZone(ZoneId.of(zone));
            SendWindow window = campaign.definition().sendWindow();
            LocalTime time = local.toLocalTime();
            boolean ok = true;
            if (window != null) {
                SendWindow w = window;
                ok = w.days().contains(local.getDayOfWeek()) && !time.isBefore(w.opens()) && time.isBefore(w.closes());
            }
            if (m.channel.equals("sms") && (time.isBefore(LocalTime.of(8, 0)) || !time.isBefore(LocalTime.of(21, 0)))) {
                ok = false;
            }
            if (!ok) {
                windows.add(data.describe(m) + " at " + local + " (" + zone + "), window " + window);
            }
        }
        report(violations, "5. messages outside the send window or SMS hours", windows);

        // 7. one invite per surveyed invitation, none for skipped ones; reminders only while unanswered and unexpired
        Map<Long, List<Msg>> byInvitation = data.messages.stream().collect(Collectors.groupingBy(Msg::invitationId));
        List<String> invites = new ArrayList<>();
        List<String> reminders = new ArrayList<>();
        for (Inv inv : data.invitations.values()) {
            List<Msg> own = byInvitation.getOrDefault(inv.id, List.of());
            List<Msg> invite = own.stream().filter(m -> m.kind.equals("invite")).toList();
            if (inv.status.equals("skipped") != (inv.skipReason != null)) {
                invites.add(data.describe(inv) + " has skip reason " + inv.skipReason);
            }
            if (inv.status.equals("skipped")) {
                if (!own.isEmpty() || inv.inviteAt != null) {
                    invites.add("skipped " + data.describe(inv) + " has " + own.size() + " messages");
                }
                continue;
            }
            if (invite.size() != 1) {
                invites.add(data.describe(inv) + " has " + invite.size() + " invite messages");
                continue;
            }
            Msg first = invite.get(0);
            if (!first.channel.equals(inv.channel) || !first.notBefore.equals(inv.inviteAt)) {
                invites.add(data.describe(inv) + " has invite " + data.describe(first));
            }
            CampaignDefinition definition = data.campaigns.get(inv.campaignId).definition();
            Instant responded = data.responses.get(inv.id);
            for (Msg m : own) {
                if (!m.kind.equals("reminder")) {
                    continue;
                }
                String what = data.describe(m) + " of " + data.describe(inv);
                if (m.step < 1 || m.step > definition.reminders().size()) {
                    reminders.add(what + ": no such step");
                    continue;
                }
                var step = definition.reminders().get(m.step - 1);
                if (!m.channel.equals(step.channel())) {
                    reminders.add(what + ": channel of step is " + step.channel());
                }
                if (!m.createdAt.isBefore(inv.expiresAt)) {
                    reminders.add(what + ": created at " + m.createdAt + ", not before expiry " + inv.expiresAt);
                }
                if (responded != null && !m.createdAt.isBefore(responded)) {
                    reminders.add(what + ": created at " + m.createdAt + " after the response at " + responded);
                }
                if (m.wentOut()) {
                    if (!m.notBefore.isBefore(inv.expiresAt)) {
                        reminders.add(what + ": due at " + m.notBefore + ", not before expiry " + inv.expiresAt);
                    }
                    if (m.notBefore.isBefore(first.notBefore.plus(step.after().approximate()))) {
                        reminders.add(what + ": due sooner than " + step.after() + " after the invite at " + first.notBefore);
                    }
                }
            }
        }
        report(violations, "7a. invitations without exactly one matching invite message (or skipped without a reason)", invites);
        report(violations, "7b. reminders for answered or expired invitations, or off their ladder", reminders);

        // 7c. promoter follow-up emails: only for answers that are (still) a promoter's, in a campaign
        // with promoter-email, not before their delay, by email, one per answer; and every promoter
        // answer due before the end got its one decision (queued, or cancelled with a reason)
        Map<Long, Integer> scores = new HashMap<>();
        dsl.select(RESPONSE.INVITATION_ID, RESPONSE.SCORE).from(RESPONSE).fetch()
                .forEach(r -> scores.put(r.value1(), r.value2().intValue()));
        List<String> promoterEmails = new ArrayList<>();
        long promoterEmailsOut = 0;
        for (Inv inv : data.invitations.values()) {
            var followUp = data.campaigns.get(inv.campaignId).definition().followUp();
            List<Msg> own = byInvitation.getOrDefault(inv.id, List.of()).stream()
                    .filter(m -> m.kind.equals("promoter")).toList();
            Integer score = scores.get(inv.id);
            Instant answered = data.responses.get(inv.id);
            boolean dueBeforeEnd = followUp.promoterEmail() != null && score != null && score >= 9
                    && !answered.plus(PROMOTER_DELAY).isAfter(lastStep);
            if (own.size() != (dueBeforeEnd ? 1 : 0)) {
                promoterEmails.add(data.describe(inv) + " (score " + score + ") has " + own.size() + " promoter emails");
            }
            for (Msg m : own) {
                promoterEmailsOut += m.wentOut() ? 1 : 0;
                if (!m.channel.equals("email") || m.step != 0) {
                    promoterEmails.add(data.describe(m) + ": not the one email");
                }
                if (answered == null || m.notBefore.isBefore(answered.plus(PROMOTER_DELAY))
                        || m.createdAt.isBefore(answered.plus(PROMOTER_DELAY))) {
                    promoterEmails.add(data.describe(m) + ": before its delay after the answer at " + answered);
                }
            }
        }
        report(violations, "7c. promoter follow-up emails to non-promoters, twice, early or missing", promoterEmails);

        // the renewal campaign's audience
        List<String> audience = new ArrayList<>();
        for (Inv inv : data.invitations.values()) {
            if (inv.surveyed() && data.campaigns.get(inv.campaignId).key().equals("renewal-nps")
                    && !Set.of("pro", "enterprise").contains(data.contacts.get(inv.contactId).plan)) {
                audience.add(data.describe(inv) + " plan " + data.contacts.get(inv.contactId).plan);
            }
        }
        report(violations, "renewal-nps invitations outside its audience", audience);

        // 8. priority protects a recurring wave: the monthly check-in (priority 5, first Monday) never
        // takes the room of the quarterly wave (priority 10, first Tuesday of the quarter, the next day)
        Map<Long, List<Inv>> checkIns = data.invitations.values().stream()
                .filter(i -> i.surveyed() && data.campaigns.get(i.campaignId).key().equals("monthly-check-in"))
                .collect(Collectors.groupingBy(Inv::contactId));
        List<String> roomTaken = new ArrayList<>();
        long quarterlyInvited = 0;
        for (Inv inv : data.invitations.values()) {
            if (!data.campaigns.get(inv.campaignId).key().equals("quarterly-nps")) {
                continue;
            }
            quarterlyInvited += inv.surveyed() ? 1 : 0;
            if ("fatigue".equals(inv.skipReason) || "fatigue".equals(inv.deferReason)) {
                for (Inv c : checkIns.getOrDefault(inv.contactId, List.of())) {
                    if (Duration.between(c.inviteAt, inv.triggerAt).abs().compareTo(Duration.ofDays(90)) < 0) {
                        roomTaken.add(data.describe(inv) + " after " + data.describe(c));
                    }
                }
            }
        }
        report(violations, "8. quarterly-nps waves held back by a lower-priority monthly check-in", roomTaken);

        assertThat(violations).as("invariant violations (seed " + SEED + ", " + CONTACTS + " contacts); " + summary
                        + "\n  " + tightness)
                .isEmpty();
        // the simulation did something (checked after the invariants, so that a violation is always reported)
        Map<String, Long> plannedPerCampaign = data.invitations.values().stream().filter(Inv::surveyed)
                .collect(Collectors.groupingBy(i -> data.campaigns.get(i.campaignId).key(), TreeMap::new, Collectors.counting()));
        assertThat(plannedPerCampaign.keySet()).as("campaigns that invited someone; " + summary)
                .contains("onboarding-nps", "renewal-nps", "quarterly-nps");
        // quarterly-nps surveys everyone every 91 days: a campaign of lower priority finds no room
        // (90 days from each wave's sends), one of higher priority takes it
        int quarterly = data.campaigns.values().stream().filter(c -> c.key().equals("quarterly-nps"))
                .findFirst().orElseThrow().priority();
        PlanCampaign support = data.campaigns.values().stream().filter(c -> c.key().equals("support-nps"))
                .findFirst().orElseThrow();
        if (support.priority() > quarterly) {
            assertThat(plannedPerCampaign).as("support-nps, of higher priority than quarterly-nps").containsKey("support-nps");
        }
        assertThat(plannedPerCampaign.getOrDefault("monthly-check-in", 0L))
                .as("monthly check-ins fitting between quarterly waves").isLessThan(quarterlyInvited / 10);
        assertThat(data.invitations.values().stream().filter(i -> "fatigue".equals(i.skipReason)
                && data.campaigns.get(i.campaignId).key().equals("monthly-check-in")).count())
                .as("monthly check-ins skipped as fatigue").isGreaterThan(CONTACTS);
        assertThat(quarterlyInvited).as("quarterly-nps invitations beside the monthly check-in").isGreaterThan(CONTACTS / 2);
        assertThat(data.invitations.values().stream().map(i -> data.campaigns.get(i.campaignId).key()).distinct())
                .as("campaigns that planned (invited or skipped) someone").containsAll(extraKeys);
        assertThat(data.invitations.values().stream().filter(Inv::surveyed).count()).isGreaterThan(CONTACTS);
        assertThat(total.invite().get("email")).isPositive();
        assertThat(total.invite().get("sms")).isPositive();
        assertThat(total.skip()).containsKeys("fatigue", "too_late", "not_in_audience");
        assertThat(total.skip().get("fatigue")).isGreaterThan(10);
        assertThat(total.defer()).containsKeys("fatigue", "send_window", "quiet_hours");
        assertThat(total.remind().values().stream().mapToLong(Long::longValue).sum()).isGreaterThan(50);
        assertThat(total.expired()).isGreaterThan(50);
        assertThat(responses).isGreaterThan(20);
        assertThat(promoterEmailsOut).as("promoter follow-up emails that went out").isGreaterThan(15);
        assertThat(changedAnswers).as("promoters who changed their answer to 8 before their email was due").isPositive();
        assertThat(data.suppressions).hasSizeGreaterThan(20);
        assertThat(data.messages.stream().anyMatch(m -> "suppressed".equals(m.lastError))
                || total.skip().containsKey("suppressed")).as("some suppression had an effect").isTrue();

        // the limits were reached, not just respected from afar
        assertThat(minGap[0]).as(tightness).isLessThan(Duration.ofDays(92));
        assertThat(threeInAWeek[0]).as("contacts with 3 messages in 7 days; " + tightness).isPositive();
    }

    // ---------------------------------------------------------------------------------------------
    // data, the way users put it in

    private Person person(String id, LocalDate onboardFrom, int onboardDays) {
        int profile = random.nextInt(10);
        String zone = profile < 7 ? ZONES.get(profile % 5) : null;
        String phone = null;
        String email = "user." + id + "@example.com";
        boolean wantsPhone = profile >= 7 ? profile <= 8 : random.nextInt(100) < 55;
        if (wantsPhone) {
            phone = phoneFor(zone);
            int channels = random.nextInt(100);
            if (channels < 30) {
                email = null;                    // SMS only
            }
        }
        String locale = "Europe/Paris".equals(zone) || (phone != null && phone.startsWith("+33")) ? "fr" : "en";
        String onboarded = null;
        if (random.nextInt(100) < 85) {
            LocalDate date = onboardFrom.plusDays(random.nextInt(onboardDays));
            onboarded = random.nextBoolean() ? date.toString()
                    : date.atTime(random.nextInt(24), random.nextInt(4) * 15).toString();
        }
        LocalDate renewal = random.nextInt(100) < 80 ? LocalDate.of(2026, 12, 10).plusDays(random.nextInt(420)) : null;
        String plan = List.of("starter", "starter", "pro", "pro", "enterprise").get(random.nextInt(5));
        return new Person(id, email, phone, "Contact " + id, locale, zone, onboarded, renewal, plan);
    }

    private String phoneFor(String zone) {
        String prefix;
        if ("Europe/Paris".equals(zone)) {
            prefix = "+3361234";
        } else if ("America/New_York".equals(zone)) {
            prefix = "+1212555";
        } else if ("America/Los_Angeles".equals(zone)) {
            prefix = "+1415555";
        } else {
            // no zone of its own (the phone's zone applies), or a zone that differs from the phone's
            prefix = List.of("+1415555", "+1212555", "+3361234").get(random.nextInt(3));
        }
        return prefix + String.format("%04d", phoneCounter++);
    }

    private static String csv(List<Person> people) {
        StringBuilder out = new StringBuilder("external_id,email,phone,name,locale,timezone,onboarded_at,renewal_date,plan\n");
        for (Person p : people) {
            out.append(String.join(",", p.externalId, n(p.email), n(p.phone), p.name, p.locale, n(p.timezone),
                    n(p.onboardedAt), p.renewalDate == null ? "" : p.renewalDate.toString(), p.plan)).append('\n');
        }
        return out.toString();
    }

    private static String n(String value) {
        return value == null ? "" : value;
    }

    private void refreshContactIds(DSLContext dsl) {
        dsl.select(CONTACT.EXTERNAL_ID, CONTACT.ID).from(CONTACT).fetch().forEach(r -> contactIds.put(r.value1(), r.value2()));
    }

    /** Half-way: late joiners are imported, passed renewals roll over a year, and many contacts opt out. */
    private void midYear(DSLContext dsl, Instant at) {
        Clock clock = Clock.fixed(at, ZoneOffset.UTC);
        List<Person> batch = new ArrayList<>();
        for (int i = 0; i < CONTACTS / 8; i++) {
            Person p = person("late" + String.format("%04d", i), LocalDate.of(2027, 5, 1), 120);
            people.add(p);
            batch.add(p);
        }
        LocalDate today = LocalDate.ofInstant(at, ZoneOffset.UTC);
        for (int i = 0; i < people.size(); i++) {
            Person p = people.get(i);
            if (p.renewalDate != null && p.renewalDate.isBefore(today) && !batch.contains(p)) {
                Person rolled = p.withRenewal(p.renewalDate.plusYears(1));
                people.set(i, rolled);
                batch.add(rolled);
            }
        }
        Fixtures.contacts(dsl, clock, csv(batch));
        refreshContactIds(dsl);
        int n = 0;
        for (Person p : people) {
            if (random.nextInt(100) < 12) {
                n += suppress(dsl, p, at, random.nextInt(100) < 20);
            }
        }
        assertThat(n).as("suppressions half-way").isPositive();
    }

    private void scatteredSuppressions(DSLContext dsl, Instant at) {
        if (random.nextInt(100) < 30) {
            suppress(dsl, people.get(random.nextInt(people.size())), at, false);
        }
    }

    /** Suppresses one of the contact's channels (or both), as of {@code at}; the number of rows added. */
    private int suppress(DSLContext dsl, Person p, Instant at, boolean both) {
        List<String> channels = new ArrayList<>();
        if (p.email != null) {
            channels.add("email");
        }
        if (p.phone != null) {
            channels.add("sms");
        }
        if (!both) {
            channels = List.of(channels.get(random.nextInt(channels.size())));
        }
        int n = 0;
        for (String channel : channels) {
            if (!suppressed.add(p.externalId + ":" + channel)) {
                continue;
            }
            String reason = channel.equals("sms") ? "stop"
                    : List.of("unsubscribed", "unsubscribed", "hard_bounce", "complaint").get(random.nextInt(4));
            n += dsl.insertInto(SUPPRESSION, SUPPRESSION.CONTACT_ID, SUPPRESSION.CHANNEL, SUPPRESSION.REASON,
                            SUPPRESSION.AT, SUPPRESSION.SOURCE)
                    .values(contactIds.get(p.externalId), channel, reason, at.atOffset(ZoneOffset.UTC), "simulation")
                    .execute();
        }
        return n;
    }

    /** Events of the day before {@code day}, received at {@code day}: tickets closed (surveyed) and noise. */
    private void insertEvents(DSLContext dsl, Instant day) {
        var insert = dsl.insertInto(EVENT, EVENT.EVENT_ID, EVENT.CONTACT_ID, EVENT.NAME, EVENT.OCCURRED_AT, EVENT.RECEIVED_AT);
        int n = 0;
        for (Person p : people) {
            Long id = contactIds.get(p.externalId);
            if (id == null) {
                continue;
            }
            int draw = random.nextInt(1000);
            String name = draw < 5 ? TICKET_EVENT : draw < 7 ? "invoice_paid" : null;
            if (name == null) {
                continue;
            }
            Instant occurred = day.minusSeconds(1 + random.nextInt(86_399));
            insert = insert.values("ev-" + (++eventCounter), id, name, occurred.atOffset(ZoneOffset.UTC),
                    day.atOffset(ZoneOffset.UTC));
            n++;
        }
        if (n > 0) {
            insert.execute();
        }
    }

    /** Some open invitations whose invite went out are answered a minute before {@code day}. */
    private static String readExample(String key) {
        try {
            String yaml = java.nio.file.Files.readString(java.nio.file.Path.of("campaigns", key + ".yaml"));
            return yaml.endsWith("\n") ? yaml : yaml + "\n";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long respond(DSLContext dsl, Instant day) {
        OffsetDateTime at = day.minus(Duration.ofMinutes(1)).atOffset(ZoneOffset.UTC);
        // a quarter of yesterday's promoters change their answer to 8, within its 24 hours
        for (var r : dsl.select(RESPONSE.ID).from(RESPONSE)
                .where(RESPONSE.RECEIVED_AT.eq(at.minusDays(1)), RESPONSE.SCORE.ge((short) 9))
                .orderBy(RESPONSE.INVITATION_ID).fetch()) {
            if (changes.nextInt(4) == 0) {
                dsl.update(RESPONSE).set(RESPONSE.SCORE, (short) 8).set(RESPONSE.UPDATED_AT, at.minusMinutes(1))
                        .where(RESPONSE.ID.eq(r.value1())).execute();
                changedAnswers++;
            }
        }
        var open = dsl.select(INVITATION.ID, INVITATION.CHANNEL).from(INVITATION)
                .where(INVITATION.STATUS.in("planned", "sent", "delivered"))
                .and(INVITATION.INVITE_AT.lt(at))
                .and(INVITATION.EXPIRES_AT.gt(at))
                .orderBy(INVITATION.CAMPAIGN_ID, INVITATION.CONTACT_ID, INVITATION.CYCLE)   // not by id: stable draws
                .fetch();
        long n = 0;
        for (var r : open) {
            if (random.nextInt(100) >= 3) {
                continue;
            }
            dsl.insertInto(RESPONSE, RESPONSE.INVITATION_ID, RESPONSE.SCORE, RESPONSE.CHANNEL, RESPONSE.RECEIVED_AT,
                            RESPONSE.UPDATED_AT)
                    .values(r.value1(), (short) random.nextInt(11), r.value2(), at, at)
                    .execute();
            dsl.update(INVITATION).set(INVITATION.STATUS, "responded").set(INVITATION.RESPONDED_AT, at)
                    .where(INVITATION.ID.eq(r.value1())).execute();
            n++;
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------
    // random extra campaigns

    private String window(List<String> choices) {
        String w = choices.get(dice.nextInt(choices.size()));
        return w == null ? "" : "send-window: " + w + "\n";
    }

    private String channels() {
        return List.of("[email, sms]", "[sms, email]", "[email]", "[sms]").get(dice.nextInt(4));
    }

    /** A ladder of {@code steps} reminders, all due within {@code withinDays} of the invite. */
    private String reminders(int steps, int withinDays) {
        StringBuilder out = new StringBuilder();
        Set<Integer> days = new java.util.TreeSet<>();
        while (days.size() < steps) {
            days.add(1 + dice.nextInt(withinDays - 1));
        }
        if (!days.isEmpty()) {
            out.append("reminders:\n");
        }
        for (int d : days) {
            boolean sms = dice.nextBoolean();
            out.append("  - {after: P").append(d).append("D, channel: ").append(sms ? "sms" : "email")
                    .append(sms && dice.nextBoolean() ? ", template: nps-reminder" : "").append("}\n");
        }
        return out.toString();
    }

    /** Stricter limits, sometimes; {@code weekCap}: a stricter messages-per-week limit may be drawn. */
    private String fatigue(boolean weekCap) {
        // quarterly-nps invites everyone every 91 days: a gap much above 90 days would leave a campaign no room at all
        return switch (dice.nextInt(weekCap ? 4 : 3)) {
            case 0 -> "";
            case 1 -> "fatigue:\n  max-surveys-per-year: 3\n";
            case 2 -> "fatigue:\n  min-days-between-surveys: " + (90 + dice.nextInt(5)) + "\n";
            default -> "fatigue:\n  max-messages-per-week: 2\n";
        };
    }

    private String common(String channels, String window, int expiresDays, String reminders, int priority,
                          String timezone, String fatigue) {
        return "channels: " + channels + "\n"
                + "question: How likely are you to recommend Acme?\n"
                + "templates: {email: nps-invite, sms: nps-invite}\n"
                + reminders
                + "expires-after: P" + expiresDays + "D\n"
                + window
                + (timezone == null ? "" : "timezone: " + timezone + "\n")
                + "priority: " + priority + "\n"
                + fatigue;
    }

    /** Issue 19.2: a lower-priority monthly wave firing the day before each quarterly wave. */
    static final String MONTHLY_CHECK_IN = """
            key: monthly-check-in
            name: Monthly check-in
            trigger:
              type: recurring
              cron: "0 0 10 ? * MON#1"
            channels: [email, sms]
            question: How likely are you to recommend Acme?
            templates: {email: nps-invite, sms: nps-invite}
            expires-after: P14D
            send-window: MON-FRI 09:00-17:00
            timezone: America/New_York
            priority: 5
            """;

    private String eventCampaign() {
        return "key: support-nps\nname: Support ticket NPS\n"
                + "trigger:\n  type: event\n  event: " + TICKET_EVENT + "\n"
                + "  delay: " + List.of("PT2H", "PT12H", "P1D").get(dice.nextInt(3)) + "\n"
                + "max-lateness: P3D\n"
                // three reminders within 6 days and the global cap: the invite and its reminders alone exceed
                // 3 messages a week
                // SMS first, in a window reaching outside 08:00-21:00: quiet hours must cut it
                + common(List.of("[sms, email]", "[sms]").get(dice.nextInt(2)), window(QUIET_HOURS_WINDOWS),
                // above quarterly-nps (10): one of lower priority finds no room between its waves at all
                7 + dice.nextInt(4), reminders(3, 6), List.of(15, 25, 35, 45).get(dice.nextInt(4)),
                dice.nextBoolean() ? "Europe/Paris" : null, fatigue(false));
    }

    private String pulseCampaign() {
        return "key: monthly-pulse\nname: Monthly pulse\n"
                + "trigger:\n  type: recurring\n  cron: \"0 30 8 ? * MON#2\"\n  spread: P3D\n"
                + "audience:\n  match: {plan: [starter, pro]}\n  sample: 0.6\n"
                + common(channels(), window(WINDOWS), 7, reminders(dice.nextInt(3), 7), List.of(0, 12, 22).get(dice.nextInt(3)),
                dice.nextBoolean() ? "America/Los_Angeles" : null, fatigue(true));
    }

    private String followUpCampaign() {
        return "key: onboarding-followup\nname: Onboarding follow-up\n"
                + "trigger:\n  type: onboarding\n  offset: P" + (100 + dice.nextInt(60)) + "D\n"
                + "max-lateness: P14D\n"
                + common(channels(), window(WINDOWS), 14, reminders(dice.nextInt(2), 14), List.of(18, 28, 40).get(dice.nextInt(3)),
                dice.nextBoolean() ? "Asia/Tokyo" : null, fatigue(true));
    }

    // ---------------------------------------------------------------------------------------------
    // reading the rows back

    record Cont(long id, String externalId, String timezone, String phoneTimezone, String plan) {
    }

    record Inv(long id, long campaignId, long contactId, String cycle, String channel, String status, String skipReason,
               String deferReason, Instant triggerAt, Instant inviteAt, Instant expiresAt) {
        boolean surveyed() {
            return !status.equals("skipped") && inviteAt != null;
        }
    }

    record Msg(long id, long invitationId, long contactId, String kind, int step, String channel, String status,
               Instant notBefore, String lastError, Instant createdAt, Instant updatedAt) {
        /** Sent in this dispatcher-less model: still queued (or sent), or cancelled by expiry after it was due. */
        boolean wentOut() {
            return OUT.contains(status)
                    || status.equals("cancelled") && "expired".equals(lastError) && !notBefore.isAfter(updatedAt);
        }
    }

    record Supp(long contactId, String channel, String reason, Instant at) {
    }

    record Data(Map<Long, Cont> contacts, Map<Long, PlanCampaign> campaigns, Map<Long, Inv> invitations,
                List<Msg> messages, List<Supp> suppressions, Map<Long, Instant> responses) {
        String describe(Inv i) {
            return "invitation " + i.id + " (" + campaigns.get(i.campaignId).key() + " " + i.cycle + ", "
                    + contacts.get(i.contactId).externalId + ", " + i.status
                    + (i.channel == null ? "" : " " + i.channel)
                    + (i.inviteAt == null ? "" : " at " + i.inviteAt)
                    + (i.deferReason == null ? "" : " deferred " + i.deferReason) + ")";
        }

        String describe(Msg m) {
            Inv i = invitations.get(m.invitationId);
            return "message " + m.id + " (" + campaigns.get(i.campaignId).key() + " " + m.kind
                    + (m.kind.equals("reminder") ? " " + m.step : "") + " " + m.channel + " "
                    + contacts.get(m.contactId).externalId + " " + m.status
                    + (m.lastError == null ? "" : "/" + m.lastError) + " at " + m.notBefore + ")";
        }
    }

    private Data load(DSLContext dsl) {
        Map<Long, Cont> contacts = new HashMap<>();
        var plan = org.jooq.impl.DSL.field("{0} ->> 'plan'", String.class, CONTACT.ATTRIBUTES);
        for (var r : dsl.select(CONTACT.ID, CONTACT.EXTERNAL_ID, CONTACT.TIMEZONE, CONTACT.PHONE_TIMEZONE, plan)
                .from(CONTACT).fetch()) {
            contacts.put(r.value1(), new Cont(r.value1(), r.value2(), r.value3(), r.value4(), r.value5()));
        }
        Map<Long, PlanCampaign> campaigns = new HashMap<>();
        planner.campaigns(dsl).forEach(c -> campaigns.put(c.id(), c));
        Map<Long, Inv> invitations = new LinkedHashMap<>();
        for (var r : dsl.selectFrom(INVITATION).orderBy(INVITATION.ID).fetch()) {
            invitations.put(r.getId(), new Inv(r.getId(), r.getCampaignId(), r.getContactId(), r.getCycle(), r.getChannel(),
                    r.getStatus(), r.getSkipReason(), r.getDeferReason(), instant(r.getTriggerAt()),
                    instant(r.getInviteAt()), instant(r.getExpiresAt())));
        }
        List<Msg> messages = new ArrayList<>();
        for (var r : dsl.selectFrom(MESSAGE).orderBy(MESSAGE.ID).fetch()) {
            messages.add(new Msg(r.getId(), r.getInvitationId(), r.getContactId(), r.getKind(), r.getStep(), r.getChannel(),
                    r.getStatus(), instant(r.getNotBefore()), r.getLastError(), instant(r.getCreatedAt()),
                    instant(r.getUpdatedAt())));
        }
        List<Supp> suppressions = new ArrayList<>();
        for (var r : dsl.selectFrom(SUPPRESSION).fetch()) {
            suppressions.add(new Supp(r.getContactId(), r.getChannel(), r.getReason(), instant(r.getAt())));
        }
        Map<Long, Instant> responses = new HashMap<>();
        for (var r : dsl.selectFrom(RESPONSE).fetch()) {
            responses.put(r.getInvitationId(), instant(r.getReceivedAt()));
        }
        return new Data(contacts, campaigns, invitations, messages, suppressions, responses);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /** Every planning-relevant column of every invitation and message, as one hash. */
    private static String digest(DSLContext dsl) {
        return dsl.resultQuery("""
                select md5(coalesce((select string_agg(concat_ws('|', id, status, skip_reason, defer_reason, channel,
                                                                 invite_at, expires_at), ',' order by id) from invitation), '')
                           || '#' ||
                           coalesce((select string_agg(concat_ws('|', id, invitation_id, kind, step, channel, status,
                                                                 not_before, last_error, updated_at), ',' order by id)
                                     from message), ''))
                """).fetchOne(0, String.class);
    }

    /**
     * Not invariants, printed for the reader: which campaign's survey a fatigue skip lost to (priority only
     * decides within one due-run), and what is left for the dispatcher and the response handling to cancel.
     */
    private static String observations(Data data, Map<Long, List<Inv>> surveys) {
        Map<String, Long> lostTo = new TreeMap<>();
        for (Inv skipped : data.invitations.values()) {
            if (!"fatigue".equals(skipped.skipReason)) {
                continue;
            }
            Inv blocker = surveys.getOrDefault(skipped.contactId, List.of()).stream()
                    .filter(i -> Duration.between(i.inviteAt, skipped.triggerAt).abs().compareTo(Duration.ofDays(90)) < 0)
                    .min(Comparator.comparing(i -> Duration.between(i.inviteAt, skipped.triggerAt).abs()))
                    .orElse(null);
            PlanCampaign loser = data.campaigns.get(skipped.campaignId);
            String key = loser.key() + "(" + loser.priority() + ") <- " + (blocker == null ? "?"
                    : data.campaigns.get(blocker.campaignId).key() + "(" + data.campaigns.get(blocker.campaignId).priority() + ")");
            lostTo.merge(key, 1L, Long::sum);
        }
        long afterResponse = data.messages.stream().filter(m -> m.status.equals("queued") && m.kind.equals("reminder"))
                .filter(m -> {
                    Instant r = data.responses.get(m.invitationId);
                    return r != null && m.notBefore.isAfter(r);
                }).count();
        long afterSuppression = data.messages.stream().filter(Msg::wentOut)
                .filter(m -> data.suppressions.stream().anyMatch(s -> s.contactId == m.contactId
                        && s.channel.equals(m.channel) && m.createdAt.isBefore(s.at) && !m.notBefore.isBefore(s.at)))
                .count();
        return "fatigue skips, by the campaign (priority) of the nearest survey within 90 days: " + lostTo
                + "\n  reminders still queued though due after a response: " + afterResponse
                + "\n  messages planned before a suppression of their channel and due after it (dispatcher must drop): "
                + afterSuppression;
    }

    private static void report(List<String> violations, String invariant, List<String> found) {
        if (!found.isEmpty()) {
            violations.add(invariant + ": " + found.size() + " cases, e.g.\n    "
                    + found.stream().limit(8).collect(Collectors.joining("\n    ")));
        }
    }

    private static String summary(Data data, PlanCounts total, long responses, long nanos) {
        Map<String, Long> statuses = data.invitations.values().stream()
                .collect(Collectors.groupingBy(i -> i.status + (i.skipReason == null ? "" : "/" + i.skipReason),
                        TreeMap::new, Collectors.counting()));
        Map<String, Map<String, Long>> perCampaign = data.invitations.values().stream()
                .collect(Collectors.groupingBy(i -> data.campaigns.get(i.campaignId).key(), TreeMap::new,
                        Collectors.groupingBy(i -> i.skipReason == null ? "surveyed" : i.skipReason, TreeMap::new,
                                Collectors.counting())));
        Map<String, Long> messages = data.messages.stream()
                .collect(Collectors.groupingBy(m -> m.kind + "/" + m.channel + "/" + m.status
                        + (m.lastError == null ? "" : "/" + m.lastError), TreeMap::new, Collectors.counting()));
        return "simulated year: seed " + SEED + ", " + data.contacts.size() + " contacts, "
                + data.suppressions.size() + " suppressions, " + responses + " responses, "
                + Duration.ofNanos(nanos).toMillis() + " ms\n  invite " + total.invite() + ", skip " + total.skip()
                + ", defer " + total.defer() + ", remind " + total.remind() + ", remind skip " + total.remindSkip()
                + ", expired " + total.expired() + "\n  invitations " + statuses + "\n  per campaign " + perCampaign + "\n  messages " + messages;
    }
}
