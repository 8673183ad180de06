package io.surveycast.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.config.InvalidInputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import io.surveycast.http.ApiProblem;
import io.surveycast.http.ApiRequest;
import io.surveycast.http.HttpResponses;

/**
 * {@code POST /api/events}: a lifecycle event for a contact, e.g.
 * {@code {"event_id": "t-981", "external_id": "c42", "event": "ticket-closed", "occurred_at": "2026-11-20T10:00:00Z"}}.
 * 201 when stored, 200 when that event_id was already received, 422 for bad fields.
 */
public final class EventsEndpoint {
    private final Events events;

    public EventsEndpoint(Events events) {
        this.events = events;
    }

    public void post(Exchange exchange) {
        JsonNode body;
        try {
            body = new ApiRequest(exchange).json();
        } catch (ApiProblem e) {
            throw new ApiProblem(400, "Bad Request", "the body must be a JSON object");
        }
        if (body == null || !body.isObject()) {
            throw new ApiProblem(400, "Bad Request", "the body must be a JSON object");
        }
        String eventId = text(body, "event_id");
        String externalId = text(body, "external_id");
        String name = text(body, "event");
        Instant occurredAt;
        try {
            occurredAt = Instant.parse(text(body, "occurred_at"));
        } catch (DateTimeParseException e) {
            throw new ApiProblem(422, "Unprocessable Content", "occurred_at: not an ISO-8601 instant");
        }
        JsonNode payload = body.get("payload");
        Events.Outcome outcome;
        try {
            outcome = events.record(eventId, externalId, name, occurredAt,
                    payload == null || payload.isNull() ? null : payload.toString());
        } catch (InvalidInputException e) {
            throw new ApiProblem(422, "Unprocessable Content", e.getMessage());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("event_id", eventId);
        answer.put("status", outcome == Events.Outcome.CREATED ? "created" : "duplicate");
        HttpResponses.json(exchange, outcome == Events.Outcome.CREATED ? 201 : 200, answer);
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new ApiProblem(422, "Unprocessable Content", field + ": required, a non-empty string");
        }
        if (value.asText().length() > 255) {
            throw new ApiProblem(422, "Unprocessable Content", field + ": longer than 255 characters");
        }
        return value.asText();
    }
}
