package io.surveycast.followup;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.response.ResponseNotices;
import io.surveycast.response.Responses;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jooq.DSLContext;

/**
 * Contacts a (owner_email ann.owner@acme.example), b (no owner) and c, each with a sent invitation
 * of campaign {@code welcome}, answered through {@link Responses} as the survey page and SMS do.
 */
final class CaseFixture {
    static final String CAMPAIGN = """
            key: welcome
            name: Welcome
            trigger: {type: onboarding, offset: P1D}
            channels: [email]
            question: How likely?
            templates: {email: nps-invite}
            """;
    final Responses responses;
    final Map<String, Long> invitations;

    CaseFixture(DSLContext dsl, Clock clock, String campaignYaml) {
        Fixtures.contacts(dsl, clock, """
                external_id,email,name,onboarded_at,owner_email
                a,ann@example.com,Ann,%1$s,ann.owner@acme.example
                b,bob@example.com,Bob,%1$s,
                c,cat@example.com,Cat,%1$s,
                """.formatted(clock.instant().minus(Duration.ofDays(1))));
        Fixtures.campaign(dsl, clock, campaignYaml);
        new DueRunner(dsl, new Planner(FatiguePolicy.DEFAULT)).runAt(clock.instant());
        dsl.update(INVITATION).set(INVITATION.STATUS, "sent")
                .set(INVITATION.TOKEN, org.jooq.impl.DSL.concat(org.jooq.impl.DSL.val("tok"), INVITATION.ID.cast(String.class)))
                .execute();
        invitations = dsl.select(CONTACT.EXTERNAL_ID, INVITATION.ID).from(INVITATION).join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .fetch().stream().collect(Collectors.toMap(r -> r.get(CONTACT.EXTERNAL_ID), r -> r.get(INVITATION.ID)));
        responses = new Responses(dsl, clock, new ResponseNotices(List.of(), Duration.ZERO, "http://x"));
    }

    void answer(String contact, int score, String comment) {
        responses.answer(invitations.get(contact), score, comment, "web").orElseThrow();
    }
}
