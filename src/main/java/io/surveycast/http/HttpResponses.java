package io.surveycast.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Writes JSON answers onto a Camel HTTP exchange. */
public final class HttpResponses {
    static final ObjectMapper JSON = new ObjectMapper();

    private HttpResponses() {
    }

    public static void json(Exchange exchange, int status, Object body) {
        json(exchange, status, body, "application/json");
    }

    static void json(Exchange exchange, int status, Object body, String contentType) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        try {
            message.setBody(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setHeader("Cache-Control", "no-store");
    }
}
