package io.surveycast.response;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.channel.TemplateStore;
import io.surveycast.config.InvalidInputException;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.HookReceiver;
import io.surveycast.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code alerts.every-comment}: every answer with a comment is posted once to the campaign's
 * webhook, in its category's colour with a link to the response; without the option, only
 * detractors are, as before.
 */
class CommentPostsTest {
    static final Instant T = Instant.parse("2027-03-10T12:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final MutableClock clock = new MutableClock(T);

    @Test
    void everyCommentIsPostedOnceInItsColourAndWithoutTheOptionOnlyDetractorsAre() throws Exception {
        try (HookReceiver slack = new HookReceiver()) {
            Fixtures.contacts(db.dsl(), clock, """
                    external_id,email,name,team,onboarded_at
                    pro,pro@example.com,Pat Promoter,a,%1$s
                    pas,pas@example.com,Paz Passive,a,%1$s
                    det,det@example.com,Dee Detractor,a,%1$s
                    quiet,quiet@example.com,Quinn Quiet,a,%1$s
                    old-pro,old-pro@example.com,Olive,b,%1$s
                    old-det,old-det@example.com,Oscar,b,%1$s
                    """.formatted(T.minus(Duration.ofDays(1))));
            Fixtures.campaignWithLocalWebhook(db.dsl(), clock, campaign("every", "a", slack.url("/every"), "\n  every-comment: true"));
            Fixtures.campaignWithLocalWebhook(db.dsl(), clock, campaign("today", "b", slack.url("/today"), ""));
            new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(clock.instant());
            db.dsl().update(INVITATION).set(INVITATION.STATUS, "sent")
                    .set(INVITATION.TOKEN, DSL.concat(DSL.val("tok"), INVITATION.ID.cast(String.class)))
                    .where(INVITATION.STATUS.ne("skipped")).execute();
            var notices = new ResponseNotices(List.of(), Duration.ofSeconds(15), "https://nps.acme.example");
            var responses = new Responses(db.dsl(), clock, notices);
            var sender = new NotificationSender(db.dsl(), clock, notices, null, new TemplateStore(Optional.empty()), "k",
                    "surveys@acme.example", new io.surveycast.config.OutgoingUrls(true));

            responses.answer(invitation("pro"), 9, "Love the new reports", "email");
            responses.answer(invitation("pas"), 7, null, "email");
            responses.answer(invitation("pas"), null, "Fine, but <b>slow</b> & pricey", "email"); // the "why?" after the score
            responses.answer(invitation("det"), 3, "Support never answered", "email");
            responses.answer(invitation("quiet"), 10, null, "email");
            responses.answer(invitation("old-pro"), 10, "Great product", "email");
            responses.answer(invitation("old-det"), 2, "Broken again", "email");

            assertThat(sender.sendDue()).as("nothing before the alert delay").isZero();
            clock.advance(Duration.ofSeconds(16));
            sender.sendDue();
            responses.answer(invitation("pro"), null, "Love the new reports, really", "email"); // an edit: not posted again
            clock.advance(Duration.ofMinutes(5));
            sender.sendDue();

            List<JsonNode> every = bodies(slack.received("/every"));
            assertThat(every).as("promoter, passive and detractor, each once; no post without a comment").hasSize(3);
            Map<String, JsonNode> byCategory = every.stream()
                    .collect(Collectors.toMap(b -> b.at("/surveycast/response/category").asText(), b -> b));
            assertThat(byCategory.keySet()).containsExactlyInAnyOrder("promoter", "passive", "detractor");
            Map<String, String> colours = Map.of("promoter", "#1a7f37", "passive", "#d4a72c", "detractor", "#d93025");
            Map<String, String> comments = Map.of("promoter", "Love the new reports", "passive", "Fine, but <b>slow</b> & pricey",
                    "detractor", "Support never answered");
            for (var e : byCategory.entrySet()) {
                JsonNode body = e.getValue();
                long id = body.at("/surveycast/response/id").asLong();
                String link = "https://nps.acme.example/responses/" + id;
                JsonNode attachment = body.at("/attachments/0");
                assertThat(attachment.get("color").asText()).as(e.getKey()).isEqualTo(colours.get(e.getKey()));
                assertThat(attachment.at("/blocks/0/text/text").asText()).isEqualTo(comments.get(e.getKey()));
                assertThat(attachment.at("/blocks/1/elements/0/text").asText()).contains("<" + link + "|Open the response>");
                assertThat(body.get("text").asText()).contains(link);
            }
            assertThat(byCategory.get("passive").at("/attachments/0/blocks/1/elements/0/text").asText())
                    .contains("Paz Passive (pas)");
            assertThat(slack.received("/every")).allSatisfy(r -> assertThat(r.header("X-Surveycast-Event")).isIn("comment"));

            List<JsonNode> today = bodies(slack.received("/today"));
            assertThat(today).as("option off: only the detractor's alert, as before").hasSize(1);
            assertThat(today.get(0).get("text").asText()).startsWith("Detractor: Oscar (old-det) scored 2/10");
            assertThat(today.get(0).at("/attachments/0/color").asText()).isEqualTo("#d93025");

            assertThat(db.dsl().fetchCount(io.surveycast.db.Tables.NOTIFICATION,
                    io.surveycast.db.Tables.NOTIFICATION.STATUS.eq("queued"))).as("nothing left to send").isZero();
        }
    }

    @Test
    void everyCommentNeedsAWebhook() {
        assertThatThrownBy(() -> Fixtures.campaignWithLocalWebhook(db.dsl(), clock, """
                key: nohook
                name: No hook
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                alerts:
                  every-comment: true
                """)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("alerts.every-comment: needs alerts.webhook");
    }

    private static String campaign(String key, String team, String webhook, String extra) {
        return """
                key: %s
                name: Campaign %s
                trigger: {type: onboarding, offset: P1D}
                audience: {match: {team: [%s]}}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                alerts:
                  webhook: %s%s
                """.formatted(key, key, team, webhook, extra);
    }

    private long invitation(String externalId) {
        return db.dsl().select(INVITATION.ID).from(INVITATION).join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .where(CONTACT.EXTERNAL_ID.eq(externalId), INVITATION.STATUS.ne("skipped")).fetchSingle(INVITATION.ID);
    }

    private static List<JsonNode> bodies(List<HookReceiver.Received> received) throws Exception {
        List<JsonNode> bodies = new java.util.ArrayList<>();
        for (HookReceiver.Received r : received) {
            bodies.add(JSON.readTree(r.body()));
        }
        return bodies;
    }
}
