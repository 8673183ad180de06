package io.surveycast.user;

import java.util.Map;
import org.apache.camel.Exchange;
import io.surveycast.http.ApiGate;
import io.surveycast.http.HttpResponses;

/** {@code GET /api/me}: who the token belongs to. */
public final class MeEndpoint {
    public void get(Exchange exchange) {
        User user = exchange.getProperty(ApiGate.USER, User.class);
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("name", user.name());
        body.put("role", user.role().id());
        HttpResponses.json(exchange, 200, body);
    }
}
