package io.surveycast.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.surveycast.config.Sha256;
import io.surveycast.http.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code GET /metrics}: every meter in Prometheus text format (0.0.4). With
 * {@code SURVEYCAST_METRICS_TOKEN} set, only for {@code Authorization: Bearer <that token>}
 * (compared in constant time, on digests so that the length does not show either); else 401.
 */
public final class MetricsEndpoint {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final PrometheusMeterRegistry registry;
    private final byte[] tokenDigest;

    MetricsEndpoint(PrometheusMeterRegistry registry, String token) {
        this.registry = registry;
        this.tokenDigest = token == null || token.isBlank() ? null : digest(token.strip());
    }

    public void scrape(Exchange exchange) {
        Message message = exchange.getMessage();
        if (tokenDigest != null && !authorized(message.getHeader("Authorization", String.class))) {
            throw new ApiProblem(401, "Unauthorized",
                    "send the metrics token (SURVEYCAST_METRICS_TOKEN) as: Authorization: Bearer <token>")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
        }
        String body = registry.scrape();
        message.removeHeaders("*");
        message.setBody(body);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        message.setHeader("Cache-Control", "no-store");
    }

    private boolean authorized(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(tokenDigest, digest(header.substring(7).strip()));
    }

    private static byte[] digest(String token) {
        return Sha256.hex(token).getBytes(StandardCharsets.US_ASCII);
    }
}
