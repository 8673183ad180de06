package io.surveycast.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.config.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import io.surveycast.http.ApiProblem;
import io.surveycast.http.ApiRequest;
import io.surveycast.http.HttpResponses;

/**
 * {@code GET /api/messages/failed} (the rows of {@code messages failed --format json}),
 * {@code POST /api/messages/{id}/retry} and {@code POST /api/messages/retry} with
 * {@code {"ids": [..]}} or {@code {"all": true}}: failed messages back in the queue.
 */
public final class MessagesEndpoint {
    private final MessageLog log;

    public MessagesEndpoint(MessageLog log) {
        this.log = log;
    }

    public void failed(Exchange exchange) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (MessageLogEntry e : log.failed()) {
            rows.add(e.failedRow());
        }
        HttpResponses.json(exchange, 200, rows);
    }

    public void retryOne(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        long id = request.id("id", "no failed message with id ");
        try {
            answer(exchange, log.retry(List.of(id), request.actor()));
        } catch (InvalidInputException e) {
            throw ApiProblem.notFound("no failed message with id " + id);
        }
    }

    public void retry(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        JsonNode body = request.json();
        JsonNode all = body.get("all");
        JsonNode ids = body.get("ids");
        if (!body.isObject() || (all == null) == (ids == null)) {
            throw ApiProblem.unprocessable("send either {\"ids\": [message ids]} or {\"all\": true}");
        }
        List<Long> which = null;
        if (all != null) {
            if (!all.isBoolean() || !all.asBoolean()) {
                throw ApiProblem.unprocessable("all: must be true");
            }
        } else {
            if (!ids.isArray() || ids.isEmpty()) {
                throw ApiProblem.unprocessable("ids: must be a non-empty array of message ids");
            }
            which = new ArrayList<>();
            for (JsonNode id : ids) {
                if (!id.canConvertToLong() || !id.isIntegralNumber()) {
                    throw ApiProblem.unprocessable("ids: must be a non-empty array of message ids");
                }
                which.add(id.asLong());
            }
        }
        try {
            answer(exchange, log.retry(which, request.actor()));
        } catch (InvalidInputException e) {
            throw ApiProblem.unprocessable(e.getMessage().replaceFirst("^messages retry: ", "ids: ") + "; nothing was requeued");
        }
    }

    private static void answer(Exchange exchange, List<Long> requeued) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requeued", requeued.size());
        body.put("ids", requeued);
        HttpResponses.json(exchange, 200, body);
    }
}
