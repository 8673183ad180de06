package io.surveycast.response;

import io.surveycast.config.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import io.surveycast.http.ApiProblem;
import io.surveycast.http.ApiRequest;
import io.surveycast.http.HttpResponses;

/**
 * {@code GET /api/responses?category=&campaign=&from=&to=&q=&limit=&cursor=}: responses newest
 * first, {@code limit} (default 50, at most 500) at a time; {@code next_cursor} gives the next page.
 */
public final class ResponsesEndpoint {
    private final ResponseSearch search;

    public ResponsesEndpoint(ResponseSearch search) {
        this.search = search;
    }

    public void get(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        ResponseSearch.Page page;
        try {
            var filter = new ResponseSearch.Filter(request.query("category"), request.query("campaign"),
                    request.instant("from", false), request.instant("to", true), request.query("q"));
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
