package io.surveycast.response;

import static io.surveycast.db.Tables.INVITATION;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import java.time.Clock;
import java.util.List;
import org.jooq.DSLContext;

/** One contact with one answered invitation, for tests about what happens after an answer. */
final class ResponsesFixture {
    private ResponsesFixture() {
    }

    static long response(DSLContext dsl, Clock clock, int score) {
        Fixtures.contacts(dsl, clock, """
                external_id,email,name,onboarded_at
                a,ann@example.com,Ann,%s
                """.formatted(clock.instant().minus(java.time.Duration.ofDays(1))));
        Fixtures.campaign(dsl, clock, """
                key: welcome
                name: Welcome
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                """);
        new DueRunner(dsl, new Planner(FatiguePolicy.DEFAULT)).runAt(clock.instant());
        dsl.update(INVITATION).set(INVITATION.STATUS, "sent").set(INVITATION.TOKEN, "tok").execute();
        long invitation = dsl.select(INVITATION.ID).from(INVITATION).fetchSingle().value1();
        var responses = new Responses(dsl, clock, new ResponseNotices(List.of(), java.time.Duration.ZERO, "http://x"));
        responses.answer(invitation, score, null, "email").orElseThrow();
        return responses.find(invitation).orElseThrow().responseId();
    }
}
