package io.surveycast.dispatch;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.SendingNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19.1: contacts without a time zone whose numbers may be in several zones get SMS only when
 * it is 08:00-21:00 in every zone the number may be in, over a simulated month of planning and
 * dispatching (development-mode SMS capture); an SMS that cannot be placed is recorded with its
 * reason; UK mobiles (London, Jersey, Guernsey, Isle of Man: one offset) are sent in London time.
 */
class QuietHoursAcrossZonesTest {
    static final Instant START = Instant.parse("2027-03-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(START.minus(Duration.ofDays(1)), ZoneOffset.UTC);
    /** Alaska, Hawaii, Newfoundland, New Zealand mobile, Australian mobile, UK mobile, New York. */
    static final List<String> NUMBERS = List.of("+1907456120", "+1808456120", "+1709456120", "+6421123450",
            "+6141234560", "+44740012345", "+1212456120");
    static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void aMonthOfSmsStaysWithinEightToNineInEveryZoneTheNumberMayBeIn() throws Exception {
        StringBuilder csv = new StringBuilder("external_id,phone,onboarded_at\n");
        for (int n = 0; n < NUMBERS.size(); n++) {
            for (int k = 0; k < 10; k++) {
                // onboarded at every hour of the day over three weeks
                Instant onboarded = START.plus(Duration.ofHours(k * 53L + n * 7L)).minus(Duration.ofDays(1));
                csv.append("p").append(n).append('-').append(k).append(',').append(NUMBERS.get(n)).append(k)
                        .append(',').append(onboarded).append('\n');
            }
        }
        Fixtures.contacts(db.dsl(), CLOCK, csv.toString());
        Fixtures.campaign(db.dsl(), CLOCK, """
                key: welcome
                name: Welcome
                trigger: {type: onboarding, offset: P1D}
                channels: [sms]
                question: How likely?
                templates: {sms: nps-invite}
                reminders:
                  - after: P2D
                    channel: sms
                expires-after: P7D
                timezone: Europe/Paris
                """);
        DueRunner runner = new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT));
        try (SendingNode node = new SendingNode(db.settings(Map.of()), CLOCK)) {
            for (Instant t = START; t.isBefore(START.plus(Duration.ofDays(31))); t = t.plus(Duration.ofMinutes(90))) {
                runner.runAt(t);
                node.dispatcher().drain(t);
            }
        }

        var sent = db.dsl().select(CONTACT.EXTERNAL_ID, CONTACT.PHONE, MESSAGE.SENT_AT, MESSAGE.KIND)
                .from(MESSAGE).join(CONTACT).on(CONTACT.ID.eq(MESSAGE.CONTACT_ID))
                .where(MESSAGE.STATUS.in("sent", "delivered"), MESSAGE.CHANNEL.eq("sms"))
                .fetch();
        List<String> outside = new ArrayList<>();
        for (var r : sent) {
            for (String zone : zonesOf(r.value2())) {
                LocalTime local = r.value3().toInstant().atZone(ZoneId.of(zone)).toLocalTime();
                if (local.isBefore(LocalTime.of(8, 0)) || !local.isBefore(LocalTime.of(21, 0))) {
                    outside.add(r.value1() + " " + r.value4() + " at " + local + " in " + zone);
                }
            }
        }
        assertThat(sent).as("SMS sent over the month").hasSizeGreaterThan(NUMBERS.size() * 10);
        assertThat(outside).as("SMS sent outside 08:00-21:00 in a zone the number may be in").isEmpty();

        // every invitation went out or says why not; every message not sent says why
        assertThat(db.dsl().fetchCount(INVITATION, INVITATION.STATUS.eq("skipped").and(INVITATION.SKIP_REASON.isNull())))
                .isZero();
        assertThat(db.dsl().fetchCount(INVITATION, INVITATION.STATUS.eq("planned"))).as("invitations never sent").isZero();
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("cancelled").and(MESSAGE.LAST_ERROR.isNull()))).isZero();
        assertThat(db.dsl().fetchCount(INVITATION)).isEqualTo(NUMBERS.size() * 10);

        // UK mobiles: one zone, London
        var uk = db.dsl().selectDistinct(CONTACT.PHONE_TIMEZONE).from(CONTACT).where(CONTACT.PHONE.startsWith("+44"))
                .fetch(CONTACT.PHONE_TIMEZONE);
        assertThat(uk).containsExactly("Europe/London");
        var ukZones = db.dsl().selectDistinct(INVITATION.SEND_ZONES).from(INVITATION).join(CONTACT)
                .on(CONTACT.ID.eq(INVITATION.CONTACT_ID)).where(CONTACT.PHONE.startsWith("+44"))
                .fetch(INVITATION.SEND_ZONES);
        assertThat(ukZones).containsExactly(new String[][] {{"Europe/London"}});
        // an Australian mobile may be anywhere from the Cocos Islands to Lord Howe: every one is kept
        assertThat(db.dsl().select(CONTACT.PHONE_ZONES).from(CONTACT).where(CONTACT.EXTERNAL_ID.eq("p4-0"))
                .fetchOne(CONTACT.PHONE_ZONES)).contains("Australia/Lord_Howe", "Indian/Cocos", "Australia/Perth");
    }

    @Test
    void anSmsWithNoCommonWindowGoesByEmailOrIsSkippedWithItsReason() {
        // 09:00-10:00 on weekdays has no common hour between Cocos (UTC+6:30) and Sydney (UTC+11)
        Fixtures.contacts(db.dsl(), CLOCK, """
                external_id,phone,email,onboarded_at
                both,+61412345678,both@example.com,2027-03-01T00:00:00Z
                sms-only,+61412345679,,2027-03-01T00:00:00Z
                uk,+447400123456,,2027-03-01T00:00:00Z
                """);
        Fixtures.campaign(db.dsl(), CLOCK, """
                key: welcome
                name: Welcome
                trigger: {type: onboarding, offset: P1D}
                channels: [sms, email]
                question: How likely?
                templates: {sms: nps-invite, email: nps-invite}
                send-window: MON-FRI 09:00-10:00
                expires-after: P7D
                """);
        Planner planner = new Planner(FatiguePolicy.DEFAULT);
        new DueRunner(db.dsl(), planner).runAt(Instant.parse("2027-03-02T00:00:00Z"));

        var rows = db.dsl().select(CONTACT.EXTERNAL_ID, INVITATION.STATUS, INVITATION.CHANNEL, INVITATION.SKIP_REASON,
                        INVITATION.DEFER_REASON, INVITATION.INVITE_AT, INVITATION.SEND_ZONES)
                .from(INVITATION).join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .fetchMap(CONTACT.EXTERNAL_ID);
        assertThat(rows.get("both").get(INVITATION.CHANNEL)).isEqualTo("email");
        assertThat(rows.get("both").get(INVITATION.DEFER_REASON)).isEqualTo("quiet_hours");
        assertThat(rows.get("sms-only").get(INVITATION.STATUS)).isEqualTo("skipped");
        assertThat(rows.get("sms-only").get(INVITATION.SKIP_REASON)).isEqualTo("quiet_hours");
        // the UK mobile is placed in London's 09:00-10:00 (Tuesday 2 March 2027, 09:00 GMT)
        assertThat(rows.get("uk").get(INVITATION.CHANNEL)).isEqualTo("sms");
        assertThat(rows.get("uk").get(INVITATION.INVITE_AT).toInstant()).isEqualTo(Instant.parse("2027-03-02T09:00:00Z"));
        // plan --explain shows the zones and the zone used
        var campaign = planner.campaigns(db.dsl()).get(0);
        assertThat(planner.explain(db.dsl(), campaign, "uk")).contains("time zone Europe/London (phone number)")
                .contains("send window in Europe/London");
        assertThat(planner.explain(db.dsl(), campaign, "sms-only")).contains("Indian/Cocos")
                .contains("SMS only when 08:00-21:00 in every one").contains("skipped (quiet_hours)");
    }

    /** Every zone libphonenumber gives for the number, uncollapsed: the check is stricter than the rule. */
    static List<String> zonesOf(String e164) throws Exception {
        return PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(PHONES.parse(e164, "US")).stream()
                .filter(z -> ZoneId.getAvailableZoneIds().contains(z)).toList();
    }
}
