package io.surveycast.http;

import org.apache.camel.Exchange;

/** {@code GET /openapi.json}: the API description, written by hand in {@code openapi.yaml} (a resource), served as JSON. */
public final class OpenApiEndpoint {
    private final String json;

    public OpenApiEndpoint(ApiContract contract) {
        this.json = contract.json();
    }

    public void get(Exchange exchange) {
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(json);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
