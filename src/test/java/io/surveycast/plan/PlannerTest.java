package io.surveycast.plan;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PlannerTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    final Planner planner = new Planner(FatiguePolicy.DEFAULT);

    PlanCounts plan(String key, String at) {
        DSLContext dsl = db.dsl();
        return dsl.transactionResult(c -> {
            planner.lock(c.dsl());
            PlanCampaign campaign = planner.campaigns(c.dsl()).stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow();
            return planner.plan(c.dsl(), campaign, Instant.parse(at), Instant.parse(at));
        });
    }

    @Test
    void onboardingInvitesInTheSendWindowAndSkipsLateJoiners() {
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,phone,timezone,onboarded_at
                ny,ny@example.com,,America/New_York,2026-03-01
                paris,paris@example.com,,Europe/Paris,2026-03-01
                old,old@example.com,,Europe/Paris,2026-02-21T22:00:00Z
                sms,,+14155550100,,2026-03-01
                future,f@example.com,,,2026-03-10
                """);
        Fixtures.examples(db.dsl(), clock);

        // 2026-03-15 is a Sunday: onboarding-nps (MON-FRI 09:00-17:00) waits for Monday 09:00 local;
        // old was due 7.5 days ago: past the max-lateness (7 days), within the day it is still recorded
        PlanCounts counts = plan("onboarding-nps", "2026-03-15T12:00:00Z");

        assertThat(counts.invite()).containsEntry("email", 2L).containsEntry("sms", 1L);
        assertThat(counts.skip()).containsEntry("too_late", 1L);
        assertThat(counts.defer()).containsEntry("send_window", 3L);
        assertThat(inviteAt("ny")).isEqualTo("2026-03-16T13:00:00Z");    // 09:00 EDT
        assertThat(inviteAt("paris")).isEqualTo("2026-03-16T08:00:00Z"); // 09:00 CET
        assertThat(inviteAt("sms")).isEqualTo("2026-03-16T16:00:00Z");   // 09:00 PDT, from the phone number
        assertThat(db.dsl().fetchCount(MESSAGE)).isEqualTo(3);
        assertThat(db.dsl().fetchCount(INVITATION, INVITATION.TOKEN.isNotNull())).as("no token before sending").isZero();

        PlanCounts again = plan("onboarding-nps", "2026-03-15T12:00:00Z");
        assertThat(again.invited()).isZero();
        assertThat(again.skip()).isEmpty();
        assertThat(db.dsl().fetchCount(INVITATION)).isEqualTo(4);
    }

    private String inviteAt(String externalId) {
        return db.dsl().select(INVITATION.INVITE_AT).from(INVITATION).join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .where(CONTACT.EXTERNAL_ID.eq(externalId)).fetchOne(INVITATION.INVITE_AT).toInstant().toString();
    }
}
