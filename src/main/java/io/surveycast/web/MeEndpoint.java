package io.surveycast.web;

import io.surveycast.user.User;
import java.util.Map;
import org.apache.camel.Exchange;

/** {@code GET /api/me}: who the token belongs to. */
public final class MeEndpoint {
    public void get(Exchange exchange) {
        User user = exchange.getProperty(ApiAuth.USER, User.class);
        HttpResponses.json(exchange, 200, Map.of("name", user.name(), "role", user.role().id()));
    }
}
