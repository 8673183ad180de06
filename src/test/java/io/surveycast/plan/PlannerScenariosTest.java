package io.surveycast.plan;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.EVENT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PlannerScenariosTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    final Planner planner = new Planner(FatiguePolicy.DEFAULT);

    DueRunner runner() {
        return new DueRunner(db.dsl(), planner);
    }

    PlanCounts run(String at) {
        return runner().runAt(Instant.parse(at));
    }

    static String campaign(String key, String trigger, String more) {
        return "key: " + key + "\nname: " + key + "\ntrigger:\n" + trigger.indent(2)
                + "channels: [email, sms]\nquestion: How likely?\ntemplates: {email: nps-invite, sms: nps-invite}\n" + more;
    }

    @Test
    void sendWindowsFollowEachContactsLocalTimeAcrossDaylightSavingChanges() {
        // onboarding due Sunday 2026-03-08 (US clocks go forward that night), 2026-03-29 (Paris), 2026-04-05 (Sydney back)
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,timezone,onboarded_at
                ny-before,a@example.com,America/New_York,2026-02-21T12:00:00Z
                ny-after,b@example.com,America/New_York,2026-02-22T12:00:00Z
                paris,c@example.com,Europe/Paris,2026-03-15T12:00:00Z
                sydney,d@example.com,Australia/Sydney,2026-03-22T01:00:00Z
                """);
        Fixtures.campaign(db.dsl(), clock, campaign("onb", "type: onboarding\noffset: P14D\n",
                "send-window: MON-FRI 09:00-17:00\n"));

        runner().runSteps(Instant.parse("2026-03-06T00:00:00Z"), Instant.parse("2026-04-06T00:00:00Z"), Duration.ofHours(6), t -> { });

        assertThat(inviteAt("ny-before")).isEqualTo("2026-03-09T13:00:00Z"); // Mon 09:00 EDT (due Sat 7th, before the change)
        assertThat(inviteAt("ny-after")).isEqualTo("2026-03-09T13:00:00Z");  // due Sun 8th: Mon 09:00 EDT
        assertThat(inviteAt("paris")).isEqualTo("2026-03-30T07:00:00Z");     // Mon 09:00 CEST, the day after the change
        assertThat(inviteAt("sydney")).isEqualTo("2026-04-05T23:00:00Z");    // Mon 6th 09:00 AEST, after clocks went back
    }

    @Test
    void smsIsNeverSentOutsideEightToNineLocalAndTheDeferralSaysWhy() {
        Fixtures.contacts(db.dsl(), clock, """
                external_id,phone,timezone,onboarded_at
                late,+14155550101,America/Los_Angeles,2026-03-01T06:30:00Z
                """);
        Fixtures.campaign(db.dsl(), clock, campaign("onb", "type: onboarding\noffset: P14D\n", ""));

        // due 2026-03-14 23:30 in Los Angeles: no campaign window, but SMS waits for 08:00 local
        PlanCounts counts = run("2026-03-15T06:30:00Z");

        assertThat(counts.invite()).containsEntry("sms", 1L);
        assertThat(counts.defer()).containsEntry("quiet_hours", 1L);
        assertThat(inviteAt("late")).isEqualTo("2026-03-15T15:00:00Z"); // 08:00 PDT
    }

    @Test
    void aDateOnlyOnboardingIsMidnightInTheSameZoneChainAsRenewalDates() {
        // issue 19.4: no contact time zone; the phone's zone, else the campaign's, decides, as for renewals
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,phone,onboarded_at,renewal_date
                ny-phone,,+12124561234,2027-03-01,2027-04-14
                paris-campaign,a@example.com,,2027-03-01,2027-04-14
                own-zone-wins,b@example.com,,2027-03-01T00:00:00Z,
                """);
        Fixtures.campaign(db.dsl(), clock, campaign("onb", "type: onboarding\noffset: P14D\n",
                "timezone: Europe/Paris\n"));
        Fixtures.campaign(db.dsl(), clock, campaign("ren", "type: renewal\noffset: P0D\n",
                "timezone: Europe/Paris\n")); // skipped for fatigue after the onboarding survey: its due time is kept

        runner().runSteps(Instant.parse("2027-03-14T00:00:00Z"), Instant.parse("2027-04-15T00:00:00Z"), Duration.ofHours(6), t -> { });

        Map<String, String> due = new TreeMap<>();
        db.dsl().select(CONTACT.EXTERNAL_ID, CAMPAIGN.KEY, INVITATION.TRIGGER_AT).from(INVITATION)
                .join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID)).join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                .forEach(r -> due.put(r.value1() + " " + r.value2(), r.value3().toInstant().toString()));
        assertThat(due).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ny-phone onb", "2027-03-15T04:00:00Z",         // 15 March 00:00 in New York (EDT)
                "ny-phone ren", "2027-04-14T04:00:00Z",         // the same zone for the renewal date
                "paris-campaign onb", "2027-03-14T23:00:00Z",   // 15 March 00:00 in Paris (CET)
                "paris-campaign ren", "2027-04-13T22:00:00Z",   // 14 April 00:00 in Paris (CEST)
                "own-zone-wins onb", "2027-03-15T00:00:00Z"));  // a date-time keeps its instant
    }

    @Test
    void eachRenewalDateIsItsOwnCycleAcrossYearsAndLeapDays() {
        Fixtures.contacts(db.dsl(), clock, "external_id,email,renewal_date\nr1,a@example.com,2027-03-01\n");
        Fixtures.campaign(db.dsl(), clock, campaign("ren", "type: renewal\noffset: -P30D\n", ""));

        assertThat(run("2027-01-29T12:00:00Z").invited()).isZero();
        assertThat(run("2027-01-30T00:00:00Z").invited()).isEqualTo(1);

        Fixtures.contacts(db.dsl(), clock, "external_id,email,renewal_date\nr1,a@example.com,2028-02-29\n");
        assertThat(run("2028-01-29T12:00:00Z").invited()).isZero();
        assertThat(run("2028-01-30T00:00:00Z").invited()).isEqualTo(1);
        assertThat(db.dsl().select(INVITATION.CYCLE).from(INVITATION).orderBy(INVITATION.ID).fetch(INVITATION.CYCLE))
                .containsExactly("renewal:2027-03-01", "renewal:2028-02-29");
    }

    @Test
    void lateJoinersAreNotSurveyedForTriggersOlderThanTheMaxLateness() {
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,onboarded_at
                recent,a@example.com,2026-05-15T00:00:00Z
                late,c@example.com,2026-05-11T00:00:00Z
                old,b@example.com,2026-04-01T00:00:00Z
                """);
        Fixtures.campaign(db.dsl(), clock, campaign("onb", "type: onboarding\noffset: P14D\n", "max-lateness: P7D\n"));

        // recent: due 3.5 days ago; late: due 7.5 days ago (past the max-lateness, within its one-day margin);
        // old: due 47.5 days ago, beyond the margin: not looked at
        PlanCounts counts = run("2026-06-01T12:00:00Z");

        assertThat(counts.invite()).containsEntry("email", 1L);
        assertThat(counts.skip()).containsExactly(Map.entry("too_late", 1L));
        assertThat(statusOf("late")).isEqualTo("skipped:too_late");
        assertThat(db.dsl().fetchCount(INVITATION, INVITATION.CONTACT_ID.eq(contactId("old"))))
                .as("a trigger beyond max-lateness + 1 day is neither surveyed nor recorded").isZero();
        assertThat(run("2026-06-02T12:00:00Z").invited()).isZero();
        assertThat(db.dsl().fetchCount(INVITATION)).isEqualTo(2);
    }

    @Test
    void oldEventsAndRenewalsAreNotReadAgainButTheRecentOnesAreHandled() {
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,renewal_date
                e-old,a@example.com,
                e-late,b@example.com,
                e-new,c@example.com,
                r-old,d@example.com,2026-06-01
                r-gone,g@example.com,2026-06-24
                r-late,e@example.com,2026-06-28
                r-new,f@example.com,2026-06-29
                """);
        Fixtures.campaign(db.dsl(), clock, campaign("evt", "type: event\nevent: ticket-closed\ndelay: PT2H\n",
                "max-lateness: P3D\npriority: 10\n"));
        Fixtures.campaign(db.dsl(), clock, campaign("ren", "type: renewal\noffset: -P30D\n", "max-lateness: P3D\n"));
        Map<String, String> events = Map.of("e-old", "2026-05-20T10:00:00Z", "e-late", "2026-05-28T20:00:00Z",
                "e-new", "2026-05-31T10:00:00Z");
        events.forEach((who, when) -> db.dsl().insertInto(EVENT).set(EVENT.EVENT_ID, who).set(EVENT.CONTACT_ID, contactId(who))
                .set(EVENT.NAME, "ticket-closed").set(EVENT.OCCURRED_AT, Instant.parse(when).atOffset(ZoneOffset.UTC))
                .set(EVENT.RECEIVED_AT, Instant.parse(when).atOffset(ZoneOffset.UTC)).execute());

        // at June 1st 12:00 UTC, max-lateness 3 days and a margin of 1 day, triggers due before May 28th 12:00
        // are not looked at: e-old (due May 20th), r-old (May 2nd), r-gone (May 25th). Recorded as too_late:
        // e-late (due May 28th 22:00), r-late (May 29th 00:00). Invited: e-new (May 31st), r-new (May 30th).
        PlanCounts counts = run("2026-06-01T12:00:00Z");

        assertThat(statusOf("e-new")).isEqualTo("planned");
        assertThat(statusOf("e-late")).isEqualTo("skipped:too_late");
        assertThat(statusOf("r-new")).isEqualTo("planned");
        assertThat(statusOf("r-late")).isEqualTo("skipped:too_late");
        assertThat(db.dsl().fetchCount(INVITATION, INVITATION.CONTACT_ID.in(contactId("e-old"), contactId("r-old"), contactId("r-gone"))))
                .as("triggers older than max-lateness + 1 day are not looked at").isZero();
        assertThat(counts.invited()).isEqualTo(2);
        assertThat(counts.skip()).containsExactly(Map.entry("too_late", 2L));
        assertThat(run("2026-06-02T12:00:00Z").skip()).as("nothing new to record a day later").isEmpty();
    }

    @Test
    void eventCampaignsFireAfterTheirDelayOncePerEvent() {
        Fixtures.contacts(db.dsl(), clock, "external_id,email\ne1,a@example.com\n");
        Fixtures.campaign(db.dsl(), clock, campaign("evt", "type: event\nevent: ticket-closed\ndelay: PT2H\n", ""));
        long contact = db.dsl().fetchValue(CONTACT.ID);
        for (String id : List.of("t-1", "t-2")) {
            db.dsl().insertInto(EVENT).set(EVENT.EVENT_ID, id).set(EVENT.CONTACT_ID, contact).set(EVENT.NAME, "ticket-closed")
                    .set(EVENT.OCCURRED_AT, Instant.parse("2026-06-01T10:00:00Z").atOffset(ZoneOffset.UTC))
                    .set(EVENT.RECEIVED_AT, Instant.parse("2026-06-01T10:00:00Z").atOffset(ZoneOffset.UTC)).execute();
        }

        assertThat(run("2026-06-01T11:00:00Z").invited()).isZero();
        assertThat(run("2026-06-01T12:00:00Z").invited()).isEqualTo(1);
        // the second ticket comes up on the next run and loses to the 90-day rule
        PlanCounts next = run("2026-06-01T12:01:00Z");
        assertThat(next.invited()).isZero();
        assertThat(next.skip()).containsEntry("fatigue", 1L);
    }

    @Test
    void whenCampaignsCollideTheHigherPriorityWinsAndTheOtherIsDeferredOrSkipped() {
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,onboarded_at,renewal_date
                both,a@example.com,2026-05-18,2026-07-01
                """);
        Fixtures.campaign(db.dsl(), clock, campaign("onb", "type: onboarding\noffset: P14D\n", "priority: 20\n"));
        // renewal due the same day, lower priority, long enough expiry to wait for its slot
        Fixtures.campaign(db.dsl(), clock, campaign("ren", "type: renewal\noffset: -P30D\n",
                "priority: 10\nexpires-after: P120D\nfatigue: {min-days-between-surveys: 100}\n"));
        Fixtures.campaign(db.dsl(), clock, campaign("ren2", "type: renewal\noffset: -P30D\n", "priority: 5\n"));

        PlanCounts counts = run("2026-06-01T12:00:00Z");

        assertThat(counts.invite()).containsEntry("email", 2L);
        assertThat(counts.defer()).containsEntry("fatigue", 1L);
        assertThat(counts.skip()).containsEntry("fatigue", 1L);
        var rows = db.dsl().select(INVITATION.CAMPAIGN_ID, INVITATION.STATUS, INVITATION.INVITE_AT)
                .from(INVITATION).orderBy(INVITATION.CAMPAIGN_ID).fetch();
        Instant first = rows.get(0).value3().toInstant();
        assertThat(first).isEqualTo("2026-06-01T12:00:00Z");
        assertThat(Duration.between(first, rows.get(1).value3().toInstant())).isEqualTo(Duration.ofDays(100));
        assertThat(rows.get(2).value2()).isEqualTo("skipped");
    }

    @Test
    void aLowerPriorityWaveGivesWayToAHigherPrioritySurveyKnownToComeWithinTheGap() {
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,timezone,plan,renewal_date,onboarded_at
                renews-soon,a@example.com,America/New_York,pro,2027-06-15,
                renews-later,b@example.com,America/New_York,pro,2027-09-15,
                free-renews-soon,c@example.com,America/New_York,free,2027-06-15,
                onboards-soon,d@example.com,America/New_York,free,,2027-04-20
                """);
        Fixtures.examples(db.dsl(), clock);

        // the quarterly wave (priority 10) of April 6th: renews-soon is due for renewal-nps (priority 30) on
        // May 16th and onboards-soon for onboarding-nps (priority 20) on May 4th, both within 90 days
        PlanCounts wave = run("2027-04-06T14:00:00Z");

        assertThat(wave.invite()).containsEntry("email", 2L);
        assertThat(wave.skip()).containsExactly(Map.entry("fatigue", 2L));
        assertThat(statusOf("renews-soon", "quarterly-nps")).isEqualTo("skipped:fatigue");
        assertThat(statusOf("onboards-soon", "quarterly-nps")).isEqualTo("skipped:fatigue");
        assertThat(statusOf("renews-later", "quarterly-nps")).as("renewal survey 132 days later").isEqualTo("planned");
        assertThat(statusOf("free-renews-soon", "quarterly-nps")).as("not in renewal-nps's audience").isEqualTo("planned");

        run("2027-05-04T14:00:00Z");
        assertThat(statusOf("onboards-soon", "onboarding-nps")).isEqualTo("planned");
        run("2027-05-17T14:00:00Z");
        assertThat(statusOf("renews-soon", "renewal-nps")).as("the higher priority survey finds room").isEqualTo("planned");
    }

    @Test
    void aLowerPriorityCampaignIsDeferredPastAnUpcomingHigherPrioritySurveyWhenItsExpiryAllows() {
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,plan,renewal_date,onboarded_at
                onboards,a@example.com,free,,2026-06-11T00:00:00Z
                renews,b@example.com,pro,2026-08-01,
                paused-only,c@example.com,free,2026-07-15,
                """);
        Fixtures.campaign(db.dsl(), clock, campaign("low", "type: recurring\ncron: \"0 0 10 1 6 ?\"\n",
                "priority: 5\nexpires-after: P200D\n"));
        Fixtures.campaign(db.dsl(), clock, campaign("onb", "type: onboarding\noffset: P14D\n",
                "priority: 20\nexpires-after: P10D\n"));
        Fixtures.campaign(db.dsl(), clock, campaign("ren", "type: renewal\noffset: -P30D\n",
                "priority: 30\naudience: {match: {plan: [pro]}}\nfatigue: {min-days-between-surveys: 120}\n"));
        Fixtures.campaign(db.dsl(), clock, campaign("ren-paused", "type: renewal\noffset: -P30D\n", "status: paused\npriority: 40\n"));

        PlanCounts wave = run("2026-06-01T10:00:00Z");

        assertThat(wave.invite()).containsEntry("email", 3L);
        assertThat(wave.defer()).containsExactly(Map.entry("fatigue", 2L));
        // onb will send in [June 25th, July 5th]: 90 days after its end
        assertThat(inviteAt("onboards")).isEqualTo("2026-10-03T00:00:00Z");
        // ren will send in [July 2nd, July 16th] and wants 120 days on its side: 120 days after its end
        assertThat(inviteAt("renews")).isEqualTo("2026-11-13T00:00:00Z");
        assertThat(inviteAt("paused-only")).as("a paused campaign reserves nothing").isEqualTo("2026-06-01T10:00:00Z");

        PlanCounts onb = run("2026-06-25T00:00:00Z");
        PlanCounts ren = run("2026-07-02T00:00:00Z");
        assertThat(onb.invited()).isEqualTo(1);
        assertThat(onb.defer()).isEmpty();
        assertThat(ren.invited()).isEqualTo(1);
        assertThat(ren.defer()).isEmpty();
    }

    @Test
    void aLowerPriorityMonthlyWaveKeepsTheRoomOfAHigherPriorityQuarterlyWaveFiringTheNextDay() {
        // issue 19.2: first Monday of April 2027 is the 5th, the quarterly wave fires on Tuesday the 6th
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,timezone,plan
                pro,a@example.com,America/New_York,pro
                free,b@example.com,America/New_York,free
                """);
        Fixtures.campaign(db.dsl(), clock, campaign("monthly", "type: recurring\ncron: \"0 0 10 ? * MON#1\"\n",
                "priority: 5\nexpires-after: P14D\ntimezone: America/New_York\n"));
        Fixtures.campaign(db.dsl(), clock, campaign("quarterly",
                "type: recurring\ncron: \"0 0 10 ? JAN,APR,JUL,OCT TUE#1\"\n",
                "priority: 10\nexpires-after: P14D\ntimezone: America/New_York\naudience: {match: {plan: [pro]}}\n"));

        PlanCounts monthly = run("2027-04-05T15:00:00Z");
        assertThat(statusOf("pro", "monthly")).as("would take the quarterly wave's room").isEqualTo("skipped:fatigue");
        assertThat(statusOf("free", "monthly")).as("not in the quarterly audience").isEqualTo("planned");
        assertThat(monthly.skip()).containsExactly(Map.entry("fatigue", 1L));

        run("2027-04-06T15:00:00Z");
        assertThat(statusOf("pro", "quarterly")).as("the higher priority wave keeps its room").isEqualTo("planned");
    }

    @Test
    void onlyHigherPriorityCampaignsAreLookedAhead() {
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,renewal_date,onboarded_at
                both,a@example.com,2026-07-01,2026-06-20T00:00:00Z
                """);
        Fixtures.campaign(db.dsl(), clock, campaign("onb", "type: onboarding\noffset: P14D\n", "priority: 20\n"));
        Fixtures.campaign(db.dsl(), clock, campaign("ren", "type: renewal\noffset: -P30D\n", "priority: 30\n"));

        // ren is due now; onb (lower) would come on July 4th: ren is not held back for it
        assertThat(run("2026-06-01T12:00:00Z").invited()).isEqualTo(1);
        assertThat(statusOf("both", "ren")).isEqualTo("planned");
        assertThat(inviteAt("both")).isEqualTo("2026-06-01T12:00:00Z");
        run("2026-07-04T00:00:00Z");
        assertThat(statusOf("both", "onb")).isEqualTo("skipped:fatigue");
    }

    @Test
    void audienceSampleAndConsentDecideWhoIsInvitedOnWhichChannel() {
        StringBuilder csv = new StringBuilder("external_id,email,phone,plan\n");
        for (int i = 0; i < 400; i++) {
            csv.append("s").append(i).append(",s").append(i).append("@example.com,,pro\n");
        }
        csv.append("free1,f@example.com,,free\n");
        csv.append("sup-email,x@example.com,,pro\n");
        csv.append("sup-email-has-phone,y@example.com,+14155550102,pro\n");
        Fixtures.contacts(db.dsl(), clock, csv.toString());
        Fixtures.contacts(db.dsl(), clock, "external_id,phone,plan\nno-email,+14155550103,pro\n");
        for (String id : List.of("sup-email", "sup-email-has-phone")) {
            db.dsl().insertInto(SUPPRESSION).set(SUPPRESSION.CONTACT_ID, contactId(id)).set(SUPPRESSION.CHANNEL, "email")
                    .set(SUPPRESSION.REASON, "unsubscribed").set(SUPPRESSION.AT, clock.instant().atOffset(ZoneOffset.UTC)).execute();
        }
        Fixtures.campaign(db.dsl(), clock, """
                key: wave
                name: wave
                trigger: {type: recurring, cron: "0 0 10 1 * ?"}
                audience: {match: {plan: [pro, enterprise]}, sample: 0.5}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                """);

        PlanCounts counts = run("2026-06-01T12:00:00Z");

        assertThat(counts.skip()).containsEntry("not_in_audience", 1L);
        assertThat(counts.skip().get("sampled_out") + counts.invited()).isBetween(390L, 404L);
        assertThat(counts.invited()).as("about half of the pro contacts").isBetween(160L, 240L);
        Set<String> inSample = Set.copyOf(db.dsl().select(CONTACT.EXTERNAL_ID).from(INVITATION).join(CONTACT)
                .on(CONTACT.ID.eq(INVITATION.CONTACT_ID)).where(INVITATION.STATUS.eq("planned")).fetch(CONTACT.EXTERNAL_ID));
        // the same contacts are in the sample of the next wave
        PlanCounts july = run("2026-07-01T12:00:00Z");
        Set<String> julySample = Set.copyOf(db.dsl().select(CONTACT.EXTERNAL_ID).from(INVITATION).join(CONTACT)
                .on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .where(INVITATION.CYCLE.eq("wave:2026-07-01")).and(INVITATION.SKIP_REASON.in("fatigue"))
                .fetch(CONTACT.EXTERNAL_ID));
        assertThat(julySample).isEqualTo(inSample);
        assertThat(july.invited()).isZero();
        String supEmail = statusOf("sup-email");
        String noEmail = statusOf("no-email");
        if (!supEmail.equals("skipped:sampled_out")) {
            assertThat(supEmail).isEqualTo("skipped:suppressed");
        }
        if (!noEmail.equals("skipped:sampled_out")) {
            assertThat(noEmail).isEqualTo("skipped:no_channel");
        }
    }

    @Test
    void theFirstReachableChannelIsChosenAndSuppressedChannelsNever() {
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,phone,onboarded_at
                both,a@example.com,+14155550104,2026-05-20
                """);
        db.dsl().insertInto(SUPPRESSION).set(SUPPRESSION.CONTACT_ID, contactId("both")).set(SUPPRESSION.CHANNEL, "email")
                .set(SUPPRESSION.REASON, "hard_bounce").set(SUPPRESSION.AT, clock.instant().atOffset(ZoneOffset.UTC)).execute();
        Fixtures.campaign(db.dsl(), clock, campaign("onb", "type: onboarding\noffset: P14D\n", ""));

        assertThat(run("2026-06-03T16:00:00Z").invite()).containsEntry("sms", 1L).containsEntry("email", 0L);
    }

    @Test
    void runningTheSameInstantTwiceOrFromTwoNodesAtOncePlansEachInvitationOnce() throws Exception {
        StringBuilder csv = new StringBuilder("external_id,email\n");
        for (int i = 0; i < 300; i++) {
            csv.append("c").append(i).append(",c").append(i).append("@example.com\n");
        }
        Fixtures.contacts(db.dsl(), clock, csv.toString());
        Fixtures.examples(db.dsl(), clock);
        Instant wave = Instant.parse("2027-04-06T14:00:00Z");

        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<PlanCounts>> both = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Callable<PlanCounts> task = () -> runner().runAt(wave);
            both.add(pool.submit(task));
        }
        long invited = 0;
        for (Future<PlanCounts> f : both) {
            invited += f.get().invited();
        }
        pool.shutdown();

        assertThat(invited).isEqualTo(300);
        assertThat(db.dsl().fetchCount(INVITATION)).isEqualTo(300);
        assertThat(db.dsl().fetchCount(MESSAGE)).isEqualTo(300);
        assertThat(runner().runAt(wave).invited()).isZero();
        assertThat(db.dsl().fetchCount(INVITATION)).isEqualTo(300);
    }

    @Test
    void aMissedDayIsCaughtUpByTheNextRunWithoutDuplicates() {
        StringBuilder csv = new StringBuilder("external_id,email,timezone,onboarded_at\n");
        for (int d = 1; d <= 20; d++) {
            csv.append("o").append(d).append(",o").append(d).append("@example.com,Europe/Paris,2026-05-")
                    .append(String.format("%02d", d + 5)).append("T08:00:00Z\n");
        }
        Fixtures.contacts(db.dsl(), clock, csv.toString());
        Fixtures.campaign(db.dsl(), clock, campaign("onb", "type: onboarding\noffset: P14D\n", "send-window: MON-FRI 09:00-17:00\n"));

        // hourly scans, but none from June 5th 00:00 to June 6th 00:00
        runner().runSteps(Instant.parse("2026-05-20T00:00:00Z"), Instant.parse("2026-06-05T00:00:00Z"), Duration.ofHours(1), t -> { });
        runner().runSteps(Instant.parse("2026-06-06T00:00:00Z"), Instant.parse("2026-06-12T00:00:00Z"), Duration.ofHours(1), t -> { });

        assertThat(db.dsl().fetchCount(INVITATION, INVITATION.INVITE_AT.isNotNull())).isEqualTo(20);
        assertThat(db.dsl().fetchCount(INVITATION)).isEqualTo(20);
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.KIND.eq("invite"))).isEqualTo(20);
        // o17 was due on June 5th 08:00 UTC (a Friday), during the gap: planned by the next scan, for Monday 09:00 in Paris
        assertThat(inviteAt("o17")).isEqualTo("2026-06-08T07:00:00Z");
        assertThat(inviteAt("o16")).as("due the day before, planned on time").isEqualTo("2026-06-04T08:00:00Z");
    }

    @Test
    void aSpreadWaveIsDistributedEvenlyOverItsDays() {
        StringBuilder csv = new StringBuilder("external_id,email\n");
        for (int i = 0; i < 100; i++) {
            csv.append("w").append(i).append(",w").append(i).append("@example.com\n");
        }
        Fixtures.contacts(db.dsl(), clock, csv.toString());
        Fixtures.campaign(db.dsl(), clock, """
                key: spread
                name: spread
                trigger: {type: recurring, cron: "0 0 0 1 6 ?", spread: 5}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                """);

        run("2026-06-01T00:00:00Z");

        Map<String, Integer> perDay = new TreeMap<>();
        for (var at : db.dsl().select(INVITATION.INVITE_AT).from(INVITATION).fetch(INVITATION.INVITE_AT)) {
            perDay.merge(at.toLocalDate().toString(), 1, Integer::sum);
        }
        assertThat(perDay).containsOnlyKeys("2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04", "2026-06-05");
        assertThat(perDay.values()).allSatisfy(n -> assertThat(n).isEqualTo(20));
    }

    @Test
    void remindersGoToThoseWhoHaveNotAnsweredAndStopAtExpiry() {
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,phone,onboarded_at
                quiet,a@example.com,+14155550105,2026-05-18T12:00:00Z
                answered,b@example.com,+14155550106,2026-05-18T12:00:00Z
                """);
        Fixtures.campaign(db.dsl(), clock, campaign("onb", "type: onboarding\noffset: P14D\n", """
                expires-after: P10D
                reminders:
                  - {after: P3D, channel: email}
                  - {after: P7D, channel: sms, template: nps-reminder}
                """));
        run("2026-06-01T12:00:00Z");
        long answered = db.dsl().select(INVITATION.ID).from(INVITATION).join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .where(CONTACT.EXTERNAL_ID.eq("answered")).fetchOne(INVITATION.ID);
        db.dsl().insertInto(RESPONSE).set(RESPONSE.INVITATION_ID, answered).set(RESPONSE.SCORE, (short) 9)
                .set(RESPONSE.CHANNEL, "email").set(RESPONSE.RECEIVED_AT, Instant.parse("2026-06-02T10:00:00Z").atOffset(ZoneOffset.UTC))
                .set(RESPONSE.UPDATED_AT, Instant.parse("2026-06-02T10:00:00Z").atOffset(ZoneOffset.UTC)).execute();

        PlanCounts day3 = run("2026-06-04T12:00:00Z");
        PlanCounts day7 = run("2026-06-08T16:00:00Z");
        PlanCounts day11 = run("2026-06-11T13:00:00Z");

        assertThat(day3.remind()).containsEntry("email", 1L);
        assertThat(day7.remind()).containsEntry("sms", 1L);
        assertThat(day11.expired()).isEqualTo(1);
        assertThat(db.dsl().select(MESSAGE.KIND, MESSAGE.STEP, MESSAGE.CHANNEL).from(MESSAGE).join(CONTACT)
                .on(CONTACT.ID.eq(MESSAGE.CONTACT_ID)).where(CONTACT.EXTERNAL_ID.eq("answered")).fetch())
                .as("nothing after the answer").hasSize(1);
        assertThat(statusOf("quiet")).isEqualTo("expired");
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("queued").and(MESSAGE.CONTACT_ID.eq(contactId("quiet")))))
                .as("the expired invitation's messages are cancelled").isZero();
    }

    private long contactId(String externalId) {
        return db.dsl().fetchValue(CONTACT.ID, CONTACT.EXTERNAL_ID.eq(externalId));
    }

    private String statusOf(String externalId) {
        var r = db.dsl().select(INVITATION.STATUS, INVITATION.SKIP_REASON).from(INVITATION)
                .where(INVITATION.CONTACT_ID.eq(contactId(externalId))).orderBy(INVITATION.ID.desc()).limit(1).fetchOne();
        return r.value2() == null ? r.value1() : r.value1() + ":" + r.value2();
    }

    private String statusOf(String externalId, String campaignKey) {
        var r = db.dsl().select(INVITATION.STATUS, INVITATION.SKIP_REASON).from(INVITATION)
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                .where(INVITATION.CONTACT_ID.eq(contactId(externalId))).and(CAMPAIGN.KEY.eq(campaignKey)).fetchOne();
        if (r == null) {
            return "none";
        }
        return r.value2() == null ? r.value1() : r.value1() + ":" + r.value2();
    }

    private String inviteAt(String externalId) {
        return db.dsl().fetchValue(INVITATION.INVITE_AT, INVITATION.CONTACT_ID.eq(contactId(externalId))).toInstant().toString();
    }
}
