package io.surveycast.response;

import io.surveycast.config.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import io.surveycast.http.ApiProblem;
import io.surveycast.http.ApiRequest;
import io.surveycast.http.HttpResponses;

/**
 * {@code GET /api/responses?category=&campaign=&from=&to=&q=&theme=&sentiment=&limit=&cursor=}: responses newest
 * first, {@code limit} (default 50, at most 500) at a time; {@code next_cursor} gives the next page.
 */
public final class ResponsesEndpoint {
    private final ResponseSearch search;
    private final OfflineAnswers offline;

    public ResponsesEndpoint(ResponseSearch search, OfflineAnswers offline) {
        this.search = search;
        this.offline = offline;
    }

    /**
     * {@code POST /api/responses}: answers collected elsewhere, a JSON array with the fields of
     * {@code responses import}, all or nothing (422 naming each bad answer by index and field).
     */
    public void post(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        List<OfflineAnswers.Done> done;
        try {
            done = offline.importBatch(request.json(), request.actor());
        } catch (OfflineAnswers.Invalid e) {
            throw ApiProblem.invalidFields(e.getMessage(), e.problems().stream()
                    .map(p -> ApiProblem.fieldError(p.index(), null, p.field(), p.reason())).toList());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        for (String status : List.of("imported", "unchanged")) {
            body.put(status, done.stream().filter(d -> d.status().equals(status)).count());
        }
        body.put("responses", done.stream().map(d -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", d.responseId());
            row.put("status", d.status());
            return row;
        }).toList());
        HttpResponses.json(exchange, 200, body);
    }

    public void get(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        ResponseSearch.Page page;
        try {
            var filter = new ResponseSearch.Filter(request.query("category"), request.query("campaign"),
                    request.instant("from", false), request.instant("to", true), request.query("q"),
                    request.query("theme"), request.query("sentiment"));
            String cursor = request.query("cursor");
            page = search.find(filter, cursor == null ? null : ResponseSearch.Cursor.decode(cursor),
                    request.integer("limit", ResponseSearch.DEFAULT_LIMIT));
        } catch (InvalidInputException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.id());
            row.put("score", r.score());
            row.put("category", r.category());
            row.put("comment", r.comment());
            row.put("channel", r.channel());
            row.put("received_at", r.receivedAt().toString());
            row.put("campaign", r.campaign());
            row.put("themes", r.themes());
            row.put("sentiment", r.sentiment());
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("external_id", r.externalId());
            contact.put("name", r.name());
            contact.put("email", r.email());
            row.put("contact", contact);
            return row;
        }).toList());
        body.put("next_cursor", page.next() == null ? null : page.next().encode());
        HttpResponses.json(exchange, 200, body);
    }
}
