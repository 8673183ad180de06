package io.surveycast.user;

import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.config.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import io.surveycast.http.ApiProblem;
import io.surveycast.http.ApiRequest;
import io.surveycast.http.HttpResponses;

/**
 * {@code GET /api/users} and {@code POST /api/users} {@code {"name", "role"}}: the answer holds the new token, once;
 * {@code POST /api/users/{name}/disable|enable|rotate} (rotate answers the new token, once).
 */
public final class UsersEndpoint {
    private final Users users;

    public UsersEndpoint(Users users) {
        this.users = users;
    }

    public void list(Exchange exchange) {
        HttpResponses.json(exchange, 200, users.list().stream().map(Users.Listed::json).toList());
    }

    public void add(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        JsonNode body = request.jsonObject();
        JsonNode name = body.get("name");
        JsonNode role = body.get("role");
        if (name == null || !name.isTextual()) {
            throw field("name", "required, a string");
        }
        if (role == null || !role.isTextual() || !role.asText().matches("admin|ops|viewer")) {
            throw field("role", "one of admin, ops, viewer");
        }
        Users.Created created;
        try {
            created = users.add(name.asText(), Role.of(role.asText()), request.actor());
        } catch (Users.NameTaken e) {
            throw new ApiProblem(409, "Conflict", "a user named " + name.asText() + " already exists");
        } catch (InvalidInputException e) {
            throw field("name", e.getMessage().replaceFirst("^NAME: ", ""));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", created.user().name());
        answer.put("role", created.user().role().id());
        answer.put("token", created.token());
        HttpResponses.json(exchange, 201, answer);
    }

    public void disable(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        String name = request.path("name");
        boolean changed;
        try {
            changed = existing(name, () -> users.disable(name, request.actor()));
        } catch (Users.LastAdmin e) {
            throw new ApiProblem(409, "Conflict", e.getMessage().replaceFirst("^NAME: ", ""));
        }
        HttpResponses.json(exchange, 200, state(name, changed));
    }

    public void enable(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        String name = request.path("name");
        boolean changed = existing(name, () -> users.enable(name, request.actor()));
        HttpResponses.json(exchange, 200, state(name, changed));
    }

    /** A new token, in the answer once; the old one stops working at once. */
    public void rotate(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        String name = request.path("name");
        Users.Created rotated = existing(name, () -> users.rotate(name, request.actor()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", rotated.user().name());
        answer.put("role", rotated.user().role().id());
        answer.put("token", rotated.token());
        HttpResponses.json(exchange, 200, answer);
    }

    private static <T> T existing(String name, java.util.function.Supplier<T> change) {
        try {
            return change.get();
        } catch (Users.NoSuchUser e) {
            throw ApiProblem.notFound("no user named " + name);
        }
    }

    private Map<String, Object> state(String name, boolean changed) {
        Users.Listed user = users.find(name).orElseThrow(() -> ApiProblem.notFound("no user named " + name));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", user.name());
        answer.put("role", user.role().id());
        answer.put("disabled", user.disabled());
        answer.put("changed", changed);
        return answer;
    }

    private static ApiProblem field(String field, String reason) {
        return new ApiProblem(422, "Unprocessable Content", field + ": " + reason,
                Map.of("errors", java.util.List.of(ApiProblem.fieldError(null, null, field, reason))));
    }
}
