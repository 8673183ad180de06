package io.surveycast.channel.sms;

import com.twilio.exception.ApiConnectionException;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The Twilio SDK's HTTP client, sending to a configurable base URL ({@code SURVEYCAST_TWILIO_API_URL})
 * instead of api.twilio.com, over the JDK's HTTP client. Each request is made once: retries are the
 * dispatcher's, with its backoff and the channel's shared rate.
 */
final class TwilioHttpClient extends HttpClient {
    /**
     * The Retry-After header of this thread's last answer (the SDK's exceptions do not carry
     * headers); read by the channel right after the call, on the same thread.
     */
    static final ThreadLocal<String> RETRY_AFTER = new ThreadLocal<>();
    private final URI base;
    private final java.net.http.HttpClient http;

    private final Duration timeout;

    /** {@code timeout}: the longest a request may take, connecting (at most 10 s of it) included. */
    TwilioHttpClient(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        Duration connect = timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10);
        this.http = java.net.http.HttpClient.newBuilder().connectTimeout(connect).build();
    }

    @Override
    public Response reliableRequest(Request request) {
        return makeRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
        RETRY_AFTER.remove();
        URL url = request.constructURL();
        URI target = base.resolve(url.getFile());
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", "surveycast twilio-java");
        for (Map.Entry<String, List<String>> header : request.getHeaderParams().entrySet()) {
            for (String value : header.getValue()) {
                builder.header(header.getKey(), value);
            }
        }
        if (request.requiresAuthentication()) {
            builder.header("Authorization", authorization(request));
        }
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.POST) {
            builder.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(request.encodeFormBody(), StandardCharsets.UTF_8));
        } else {
            builder.method(method.toString(), HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            RETRY_AFTER.set(response.headers().firstValue("Retry-After").orElse(null));
            return new Response(response.body(), response.statusCode());
        } catch (IOException e) {
            throw new ApiConnectionException("Twilio at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("interrupted", e);
        }
    }

    private static String authorization(Request request) {
        if (request.getUsername() != null) {
            String pair = request.getUsername() + ":" + request.getPassword();
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        return request.getAuthString();
    }
}
