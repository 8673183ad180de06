package io.surveycast.theme;

import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.config.InvalidInputException;
import io.surveycast.http.ApiProblem;
import io.surveycast.http.ApiRequest;
import io.surveycast.http.HttpResponses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * {@code PUT /api/responses/{id}/themes} ({@code {"themes": [KEY, ...]}}): a response's themes set
 * by hand ({@link Themes#setManual}), kept through re-tagging. An unknown theme key or a body of
 * another shape is a 400 problem; an unknown response a 404.
 */
public final class ResponseThemesEndpoint {
    private final Themes themes;

    public ResponseThemesEndpoint(Themes themes) {
        this.themes = themes;
    }

    public void put(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        long id = request.id("id", "no response ");
        JsonNode body = request.json();
        JsonNode list = body.isObject() ? body.get("themes") : null;
        if (list == null || !list.isArray() || body.size() != 1) {
            throw ApiProblem.badRequest("the body must be {\"themes\": [theme keys]}");
        }
        List<String> keys = new ArrayList<>();
        for (JsonNode key : list) {
            if (!key.isTextual()) {
                throw ApiProblem.badRequest("themes: each is a theme key (a string), not " + key);
            }
            keys.add(key.asText());
        }
        try {
            themes.setManual(id, keys, request.actor());
        } catch (Themes.NoSuchResponse e) {
            throw ApiProblem.notFound("no response " + id);
        } catch (InvalidInputException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("themes", themes.keysOf(id));
        HttpResponses.json(exchange, 200, answer);
    }
}
