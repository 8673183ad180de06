package io.surveycast.http;

import io.surveycast.config.Database;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/** {@code GET /health}: 200 when the database answers, 503 when it does not. */
public final class HealthEndpoint {
    private final Database database;

    public HealthEndpoint(Database database) {
        this.database = database;
    }

    public void get(Exchange exchange) {
        boolean up = database.isReachable();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        Map<String, Object> db = new LinkedHashMap<>();
        db.put("status", up ? "UP" : "DOWN");
        db.put("kind", database.isEmbedded() ? "embedded" : "external");
        body.put("database", db);
        HttpResponses.json(exchange, up ? 200 : 503, body);
    }
}
