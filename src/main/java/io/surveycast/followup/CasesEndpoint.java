package io.surveycast.followup;

import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.config.InvalidInputException;
import io.surveycast.http.ApiProblem;
import io.surveycast.http.ApiRequest;
import io.surveycast.http.HttpResponses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.camel.Exchange;

/**
 * {@code GET /api/cases} (filters as query parameters), {@code GET /api/cases/{id}},
 * {@code PATCH /api/cases/{id}} ({@code {"status", "owner", "close_reason"}}) and
 * {@code POST /api/cases/{id}/notes} ({@code {"text"}}); the caller is the author of what it does;
 * {@code GET /api/cases/report} (as {@code cases report}).
 */
public final class CasesEndpoint {
    private static final Set<String> PATCH_FIELDS = Set.of("status", "owner", "close_reason");
    private final Cases cases;

    public CasesEndpoint(Cases cases) {
        this.cases = cases;
    }

    public void list(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        CaseFilter filter;
        try {
            filter = CaseFilter.of(request.query("status"), request.query("owner"), request.query("campaign"),
                    request.query("category"), request.flag("overdue"), request.integer("limit", 100), "");
        } catch (InvalidInputException e) {
            throw ApiProblem.badRequest(String.join("; ", e.lines()));
        }
        HttpResponses.json(exchange, 200, cases.list(filter).stream().map(FollowUpCase::json).toList());
    }

    /** {@code GET /api/cases/report?from=&to=&by=}: the rows of {@code cases report --format json}. */
    public void report(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        CaseReport.Query query;
        try {
            query = CaseReport.query(request.query("from"), request.query("to"), request.query("by"), "");
        } catch (InvalidInputException e) {
            throw ApiProblem.badRequest(String.join("; ", e.lines()));
        }
        HttpResponses.json(exchange, 200, cases.report(query).stream().map(CaseReportRow::json).toList());
    }

    public void get(Exchange exchange) {
        long id = id(new ApiRequest(exchange));
        HttpResponses.json(exchange, 200, cases.find(id).orElseThrow(() -> notFound(id)).json());
    }

    public void patch(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        long id = id(request);
        JsonNode body = request.jsonObject();
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!PATCH_FIELDS.contains(name)) {
                throw unprocessable(name + ": unknown field (status, owner, close_reason)");
            }
        }
        String status = text(body, "status");
        String reason = text(body, "close_reason");
        boolean setOwner = body.has("owner");
        String owner = setOwner ? text(body, "owner") : null;
        if (status == null && !setOwner) {
            throw unprocessable("status: give status or owner (or both)");
        }
        HttpResponses.json(exchange, 200, acting(id, () -> cases.change(id, owner, setOwner, status, reason,
                author(exchange))).json());
    }

    public void addNote(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        long id = id(request);
        JsonNode body = request.jsonObject();
        String text = text(body, "text");
        HttpResponses.json(exchange, 201, acting(id, () -> cases.note(id, text, author(exchange))).json());
    }

    /** The caller by its user name, as the notes and emails show it. */
    private static String author(Exchange exchange) {
        return exchange.getProperty(ApiRequest.ACTOR, String.class);
    }

    private static FollowUpCase acting(long id, Supplier<FollowUpCase> action) {
        try {
            return action.get();
        } catch (Cases.NoSuchCase e) {
            throw notFound(id);
        } catch (Cases.Conflict e) {
            throw new ApiProblem(409, "Conflict", e.getMessage());
        } catch (InvalidInputException e) {
            throw unprocessable(e.lines().getFirst());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw unprocessable(field + ": a string");
        }
        return value.asText();
    }

    private static long id(ApiRequest request) {
        return request.id("id", "no case ");
    }

    private static ApiProblem notFound(long id) {
        return ApiProblem.notFound("no case " + id);
    }

    /** {@code field: reason} as a 422 with its {@code errors} entry, as every other endpoint answers bad fields. */
    private static ApiProblem unprocessable(String line) {
        int colon = line.indexOf(": ");
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("field", colon < 0 ? "" : line.substring(0, colon));
        error.put("reason", colon < 0 ? line : line.substring(colon + 2));
        return new ApiProblem(422, "Unprocessable Content", line, Map.of("errors", List.of(error)));
    }
}
