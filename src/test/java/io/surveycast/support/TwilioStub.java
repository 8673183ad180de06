package io.surveycast.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Twilio's Messages API on a local HTTP server, told what to answer from the test as it runs:
 * 201 (accepted), 429 (with or without Retry-After), 500, each after a chosen delay. It records
 * every create request (when, to whom, with what body) and every message it accepted, and answers
 * the Messages list (GET, filtered by To and DateSent) from what it accepted, as Twilio does
 * (../shared/twilio/twilio_api_v2010.json).
 */
public final class TwilioStub implements AutoCloseable {
    public static final String SID = "AC0123456789abcdef0123456789abcdef";
    public static final String MESSAGES = "/2010-04-01/Accounts/" + SID + "/Messages.json";

    /** What the next create requests get. */
    public record Answer(int status, Duration delay, String retryAfter, boolean acceptsAnyway) {
        public static Answer accepted() {
            return new Answer(201, Duration.ZERO, null, true);
        }

        public static Answer slow(Duration delay) {
            return new Answer(201, delay, null, true);
        }

        public static Answer throttled(String retryAfter) {
            return new Answer(429, Duration.ZERO, retryAfter, false);
        }

        /** A 500, the message not taken in. */
        public static Answer serverError() {
            return new Answer(500, Duration.ZERO, null, false);
        }

        /** A 500 after the message was taken in (Twilio's outcome unknown to the caller). */
        public static Answer errorAfterAccepting() {
            return new Answer(500, Duration.ZERO, null, true);
        }
    }

    /** A create request as received: when (nanoTime), and its form. */
    public record Request(long atNanos, Map<String, String> form) {
    }

    private final HttpServer server;
    private volatile Answer answer = Answer.accepted();
    private final List<Request> creates = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger lists = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(0);

    /** Create requests wait (unanswered, in flight) until {@link #release()}. */
    public void hold() {
        held = new java.util.concurrent.CountDownLatch(1);
    }

    public void release() {
        held.countDown();
    }

    public TwilioStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(MESSAGES, this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void answer(Answer next) {
        this.answer = next;
    }

    public List<Request> creates() {
        return new ArrayList<>(creates);
    }

    public List<Map<String, String>> accepted() {
        return new ArrayList<>(accepted);
    }

    public int lists() {
        return lists.get();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestMethod().equals("GET")) {
                list(exchange);
                return;
            }
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            creates.add(new Request(System.nanoTime(), form));
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            Answer a = answer;
            try {
                held.await(60, java.util.concurrent.TimeUnit.SECONDS);
                if (!a.delay().isZero()) {
                    Thread.sleep(a.delay());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
            String sid = "SM" + String.format("%032x", creates.size());
            if (a.acceptsAnyway()) {
                Map<String, String> message = new HashMap<>(form);
                message.put("sid", sid);
                accepted.add(message);
            }
            if (a.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", a.retryAfter());
            }
            String body = a.status() == 201 ? created(sid, form.get("To"))
                    : """
                    {"code": %d, "message": "%s", "more_info": "https://www.twilio.com/docs/errors", "status": %d}
                    """.formatted(a.status() == 429 ? 20429 : 20500, a.status() == 429 ? "Too Many Requests"
                            : "Internal Server Error", a.status());
            send(exchange, a.status(), body);
        }
    }

    /** GET Messages.json?To=...&DateSent>=...: the accepted messages to that number. */
    private void list(HttpExchange exchange) throws IOException {
        lists.incrementAndGet();
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery() == null ? ""
                : exchange.getRequestURI().getRawQuery());
        String to = query.get("To");
        StringBuilder items = new StringBuilder();
        for (Map<String, String> m : accepted) {
            if (to == null || to.equals(m.get("To"))) {
                if (!items.isEmpty()) {
                    items.append(',');
                }
                items.append(created(m.get("sid"), m.get("To")).replace("\"body\": \"\"",
                        "\"body\": " + json(m.getOrDefault("Body", ""))));
            }
        }
        send(exchange, 200, """
                {"messages": [%s], "end": 0, "first_page_uri": "%s", "next_page_uri": null, "page": 0,
                 "page_size": 50, "previous_page_uri": null, "start": 0, "uri": "%s"}
                """.formatted(items, MESSAGES, MESSAGES));
    }

    private static String created(String sid, String to) {
        return """
                {"account_sid": "%s", "api_version": "2010-04-01", "body": "", "date_created": "Mon, 01 Jun 2026 12:00:00 +0000",
                 "date_sent": null, "date_updated": "Mon, 01 Jun 2026 12:00:00 +0000", "direction": "outbound-api",
                 "error_code": null, "error_message": null, "from": "+15005550006", "messaging_service_sid": null,
                 "num_media": "0", "num_segments": "1", "price": null, "price_unit": "USD", "sid": "%s",
                 "status": "queued", "subresource_uris": {"media": "/2010-04-01/Accounts/%s/Messages/%s/Media.json"},
                 "to": "%s", "uri": "/2010-04-01/Accounts/%s/Messages/%s.json"}
                """.formatted(SID, sid, SID, sid, to, SID, sid);
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
