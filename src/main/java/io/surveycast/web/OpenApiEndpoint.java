package io.surveycast.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** {@code GET /openapi.json}: the API description, written by hand in {@code openapi.yaml} (a resource), served as JSON. */
public final class OpenApiEndpoint {
    private final String json;

    public OpenApiEndpoint() {
        try (InputStream in = OpenApiEndpoint.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the classpath");
            }
            Object tree = new Load(LoadSettings.builder().build()).loadFromInputStream(in);
            json = HttpResponses.JSON.writeValueAsString((Map<?, ?>) tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void get(Exchange exchange) {
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(json);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
