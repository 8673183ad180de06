package io.surveycast.promoter;

import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.LINK_CLICK;
import static io.surveycast.db.Tables.RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.support.ApiServer;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The thank-you page shows the campaign's follow-up links to every respondent (emphasised for
 * promoters), each through /r/{token}/{link}, which redirects (303) to the campaign's own URL and
 * counts the click; anything else there is a 404 page; the API shows the clicks per link.
 */
class LinkClicksTest {
    static final String REVIEW = "https://reviews.example.com/acme";
    static final String REFERRAL = "https://acme.example/refer?from=nps";

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void thankYouLinksForEveryoneClicksCountedAndNoOpenRedirect() throws Exception {
        DSLContext dsl = db.dsl();
        Fixtures.contacts(dsl, ApiServer.CLOCK, """
                external_id,email,name
                p,pam@example.com,Pam
                q,quinn@example.com,Quinn
                o,olga@example.com,Olga
                """);
        Fixtures.campaign(dsl, ApiServer.CLOCK, """
                key: welcome
                name: Welcome
                trigger: {type: event, event: signed}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                follow-up:
                  links:
                    review: %s
                    referral: %s
                """.formatted(REVIEW, REFERRAL));
        answered(dsl, "p", 10, "tok-p");
        answered(dsl, "q", 7, "tok-q");
        long open = ApiServer.invitation(dsl, "welcome", "o", "sent", "2027-01-14T10:00:00Z");
        dsl.update(INVITATION).set(INVITATION.TOKEN, "tok-open").where(INVITATION.ID.eq(open)).execute();

        try (ApiServer server = new ApiServer(db)) {
            // the same links for the promoter and the passive (no review gating), emphasised for the promoter
            String promoter = server.get("/s/tok-p?done=1", null).body();
            assertThat(promoter).contains("class=\"links promoter\"", "href=\"/r/tok-p/review\"",
                    "href=\"/r/tok-p/referral\"", "Write a review", "Refer a friend").doesNotContain(REVIEW);
            String passive = server.get("/s/tok-q?done=1", null).body();
            assertThat(passive).contains("class=\"links\"", "href=\"/r/tok-q/review\"", "href=\"/r/tok-q/referral\"")
                    .doesNotContain("links promoter");

            HttpResponse<String> first = server.get("/r/tok-p/review", null);
            assertThat(first.statusCode()).isEqualTo(303);
            assertThat(first.headers().firstValue("Location")).hasValue(REVIEW);
            assertThat(first.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
            assertThat(server.get("/r/tok-p/review", null).statusCode()).as("a second click (or a scanner's GET)").isEqualTo(303);
            HttpResponse<String> referral = server.get("/r/tok-q/referral", null);
            assertThat(referral.headers().firstValue("Location")).hasValue(REFERRAL);

            // only the campaign's own links, for a token with an answer
            for (String path : new String[] {"/r/tok-p/nosuch", "/r/nosuch/review", "/r/tok-open/review",
                    "/r/tok-p/https%3A%2F%2Fevil.example", "/r/tok-p/%2F%2Fevil.example", "/r/tok-p/REVIEW"}) {
                HttpResponse<String> notFound = server.get(path, null);
                assertThat(notFound.statusCode()).as(path).isEqualTo(404);
                assertThat(notFound.headers().firstValue("Location")).as(path).isEmpty();
                assertThat(notFound.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("text/html");
            }
            assertThat(dsl.select(LINK_CLICK.LINK, LINK_CLICK.CLICKS).from(LINK_CLICK).orderBy(LINK_CLICK.LINK)
                    .fetch().map(r -> r.value1() + "=" + r.value2()))
                    .as("clicks per response and link; the 404s counted nothing").containsExactly("referral=1", "review=2");

            JsonNode links = ApiServer.body(server.get("/api/campaigns/welcome/links", Role.VIEWER));
            assertThat(links.get("campaign").asText()).isEqualTo("welcome");
            assertThat(links.get("links")).hasSize(2);
            JsonNode review = links.get("links").get(0);
            assertThat(review.get("name").asText()).isEqualTo("review");
            assertThat(review.get("url").asText()).isEqualTo(REVIEW);
            assertThat(review.get("clicks").asLong()).isEqualTo(2);
            assertThat(review.get("responses").asLong()).isEqualTo(1);
            assertThat(review.get("promoter_responses").asLong()).isEqualTo(1);
            JsonNode ref = links.get("links").get(1);
            assertThat(ref.get("name").asText()).isEqualTo("referral");
            assertThat(ref.get("clicks").asLong()).isEqualTo(1);
            assertThat(ref.get("responses").asLong()).isEqualTo(1);
            assertThat(ref.get("promoter_responses").asLong()).isZero();
            assertThat(server.get("/api/campaigns/nosuch/links", Role.VIEWER).statusCode()).isEqualTo(404);
        }
    }

    private static void answered(DSLContext dsl, String externalId, int score, String token) {
        OffsetDateTime at = OffsetDateTime.parse("2027-01-14T12:00:00Z");
        long invitation = ApiServer.invitation(dsl, "welcome", externalId, "responded", "2027-01-14T10:00:00Z");
        dsl.update(INVITATION).set(INVITATION.TOKEN, token).where(INVITATION.ID.eq(invitation)).execute();
        dsl.insertInto(RESPONSE).set(RESPONSE.INVITATION_ID, invitation).set(RESPONSE.SCORE, (short) score)
                .set(RESPONSE.CHANNEL, "email").set(RESPONSE.RECEIVED_AT, at).set(RESPONSE.UPDATED_AT, at).execute();
    }
}
