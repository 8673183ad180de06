package io.surveycast.theme;

import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.RESPONSE_SENTIMENT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.support.ApiServer;
import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Responses by theme and sentiment through the API, and their themes set by hand. */
class ResponseThemesApiTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    long response(String comment) {
        return db.dsl().select(RESPONSE.ID).from(RESPONSE).where(RESPONSE.COMMENT.eq(comment)).fetchSingle(RESPONSE.ID);
    }

    void sentiment(long response, String sentiment) {
        db.dsl().insertInto(RESPONSE_SENTIMENT).set(RESPONSE_SENTIMENT.RESPONSE_ID, response)
                .set(RESPONSE_SENTIMENT.SENTIMENT, sentiment)
                .set(RESPONSE_SENTIMENT.TAGGED_AT, OffsetDateTime.parse("2027-01-14T00:00:00Z")).execute();
    }

    static List<String> comments(JsonNode page) {
        List<String> comments = new ArrayList<>();
        page.get("items").forEach(item -> comments.add(item.get("comment").asText()));
        return comments;
    }

    @Test
    void responsesAreFilteredByThemeAndSentimentAndTheirThemesSetByHand() throws Exception {
        ApiServer.seed(db.dsl());
        Themes themes = new Themes(db.dsl(), ApiServer.CLOCK);
        themes.ensureDefaults("test");
        long great = response("Great SUPPORT team");
        long slow = response("support was slow, 100% annoying");
        long expensive = response("Too expensive");
        themes.setManual(great, List.of("support"), "test");
        themes.setManual(slow, List.of("support", "reliability"), "test");
        themes.setManual(expensive, List.of("pricing"), "test");
        sentiment(great, "positive");
        sentiment(slow, "negative");
        sentiment(expensive, "negative");
        try (ApiServer server = new ApiServer(db)) {
            JsonNode support = ApiServer.body(server.get("/api/responses?theme=support", Role.VIEWER));
            assertThat(comments(support)).containsExactly("support was slow, 100% annoying", "Great SUPPORT team");
            assertThat(support.get("items").get(0).get("themes").toString()).isEqualTo("[\"reliability\",\"support\"]");
            assertThat(support.get("items").get(0).get("sentiment").asText()).isEqualTo("negative");
            assertThat(comments(ApiServer.body(server.get("/api/responses?sentiment=negative", Role.VIEWER))))
                    .containsExactly("Too expensive", "support was slow, 100% annoying");
            assertThat(comments(ApiServer.body(server.get("/api/responses?theme=support&sentiment=negative", Role.VIEWER))))
                    .containsExactly("support was slow, 100% annoying");
            JsonNode all = ApiServer.body(server.get("/api/responses", Role.VIEWER));
            JsonNode untagged = all.get("items").get(0); // "lovely product; support fine": no tag, no sentiment
            assertThat(untagged.get("themes").toString()).isEqualTo("[]");
            assertThat(untagged.get("sentiment").isNull()).isTrue();

            var unknownTheme = server.get("/api/responses?theme=nosuch", Role.VIEWER);
            assertThat(unknownTheme.statusCode()).isEqualTo(400);
            assertThat(unknownTheme.body()).contains("theme: no theme nosuch");
            assertThat(server.get("/api/responses?sentiment=angry", Role.VIEWER).statusCode()).isEqualTo(400);

            var put = server.json("PUT", "/api/responses/" + slow + "/themes", Role.OPS, "{\"themes\": [\"pricing\", \"support\"]}");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(put.body()).isEqualTo("{\"id\":" + slow + ",\"themes\":[\"pricing\",\"support\"]}");
            assertThat(comments(ApiServer.body(server.get("/api/responses?theme=pricing", Role.VIEWER))))
                    .containsExactly("Too expensive", "support was slow, 100% annoying");
            assertThat(themes.themesOf(slow)).containsExactly("pricing (manual)", "support (manual)");

            var unknownKey = server.json("PUT", "/api/responses/" + slow + "/themes", Role.OPS, "{\"themes\": [\"speed\"]}");
            assertThat(unknownKey.statusCode()).isEqualTo(400);
            assertThat(unknownKey.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(unknownKey.body()).contains("themes: unknown theme speed");
            assertThat(themes.themesOf(slow)).as("nothing changed").containsExactly("pricing (manual)", "support (manual)");
            assertThat(server.json("PUT", "/api/responses/" + slow + "/themes", Role.OPS, "{\"themes\": \"support\"}")
                    .statusCode()).isEqualTo(400);
            assertThat(server.json("PUT", "/api/responses/999999/themes", Role.OPS, "{\"themes\": []}").statusCode())
                    .isEqualTo(404);
            assertThat(server.json("PUT", "/api/responses/" + slow + "/themes", Role.VIEWER, "{\"themes\": []}").statusCode())
                    .isEqualTo(403);
        }
    }
}
