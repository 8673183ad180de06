package io.surveycast.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import io.surveycast.support.ApiServer;

/**
 * The HTTP answers, byte for byte: every operation of openapi.yaml with good and bad input (no
 * token, a bad one, weaker roles, bad path values, bad query parameters, bad bodies, other
 * methods), and the other HTTP paths, recorded as status, the headers that matter and the body,
 * and compared with {@code src/test/resources/http-walk.txt}, recorded before the HTTP code was
 * reshaped. {@code -Dhttp.walk.record=true} writes the file anew (only on purpose: a changed
 * answer is a changed contract).
 */
class HttpWalkTest {
    static final Path GOLDEN = Path.of("src/test/resources/http-walk.txt");
    static final List<String> HEADERS = List.of("Content-Type", "Location", "Allow", "WWW-Authenticate", "Retry-After",
            "Cache-Control", "Set-Cookie", "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy");
    static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    private record Call(String method, String path, Role role, String token, String contentType, String body,
                        Map<String, String> headers) {
        static Call of(String method, String path, Role role, String contentType, String body) {
            return new Call(method, path, role, null, contentType, body, Map.of());
        }
    }

    @Test
    void everyOperationAnswersAsRecorded() throws Exception {
        ApiServer.seed(db.dsl());
        // the seeded comments tagged (keyword rules) before the server starts: its tagging timer would
        // otherwise race the walk, and the responses' themes and sentiment would differ from run to run
        try (var tagging = new io.surveycast.theme.ThemeTagging(db.dsl(), ApiServer.CLOCK, 0.5, false)) {
            tagging.drain();
        }
        String walk;
        try (ApiServer server = new ApiServer(db, Map.of("SURVEYCAST_TOKEN_FAILURE_LIMIT", "0"))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            StringBuilder out = new StringBuilder();
            for (Call call : calls(server.base)) {
                out.append(record(server, http, call).replace(server.base, "http://HOST"));
            }
            walk = out.toString();
        }
        if (Boolean.getBoolean("http.walk.record")) {
            Files.writeString(GOLDEN, walk);
        }
        Files.writeString(Path.of("target/http-walk.actual.txt"), walk); // to diff with the recorded one
        assertThat(walk).isEqualTo(Files.readString(GOLDEN));
    }

    private static String record(ApiServer server, HttpClient http, Call call) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base + call.path()))
                .timeout(Duration.ofSeconds(30))
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
        if (call.contentType() != null) {
            request.header("Content-Type", call.contentType());
        }
        String token = call.token() != null ? call.token() : call.role() == null ? null : server.tokens.get(call.role());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        call.headers().forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        StringBuilder out = new StringBuilder();
        out.append("### ").append(call.method()).append(' ').append(call.path())
                .append(call.role() != null ? " as " + call.role().id() : call.token() != null ? " with a bad token" : "")
                .append(call.contentType() != null ? " [" + call.contentType() + "] " + abbreviated(call.body()) : "")
                .append(call.headers().isEmpty() ? "" : " " + new java.util.TreeMap<>(call.headers()))
                .append('\n');
        out.append(response.statusCode()).append('\n');
        for (String header : HEADERS) {
            for (String value : response.headers().allValues(header)) {
                out.append(header).append(": ").append(masked(value)).append('\n');
            }
        }
        String body = masked(response.body());
        if (body.length() > 3000) {
            body = "(" + body.length() + " characters, sha-256 " + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8))) + ")";
        }
        out.append(body).append("\n\n");
        return out.toString();
    }

    /** Tokens and session ids are random: the same answer holds another one each run. */
    private static String masked(String text) {
        return text.replaceAll("sc_[A-Za-z0-9_-]{16,}", "sc_TOKEN").replaceAll("sc_session=[A-Za-z0-9_-]{16,}", "sc_session=ID");
    }

    private static String abbreviated(String body) {
        if (body == null) {
            return "";
        }
        String flat = body.replace("\n", "\\n");
        return flat.length() > 80 ? flat.substring(0, 80) + "..." : flat;
    }

    @SuppressWarnings("unchecked")
    private static List<Call> calls(String base) throws Exception {
        JsonNode spec;
        try (InputStream in = HttpWalkTest.class.getResourceAsStream("/openapi.yaml")) {
            Object tree = new Load(LoadSettings.builder().build()).loadFromInputStream(in);
            spec = ApiServer.JSON.valueToTree(tree);
        }
        List<Call> calls = new ArrayList<>();
        List<Call> mutating = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext(); ) {
            var entry = paths.next();
            String template = entry.getKey();
            JsonNode item = entry.getValue();
            List<JsonNode> shared = new ArrayList<>();
            item.path("parameters").forEach(shared::add);
            for (String method : METHODS) {
                JsonNode op = item.get(method);
                String verb = method.toUpperCase();
                if (op == null) {
                    calls.add(Call.of(verb, example(template, shared, List.of()), Role.ADMIN, null, null));
                    continue;
                }
                List<JsonNode> parameters = new ArrayList<>(shared);
                op.path("parameters").forEach(parameters::add);
                Role role = Role.of(op.get("x-role").asText());
                String path = example(template, parameters, List.of());
                String contentType = null;
                String body = null;
                JsonNode content = op.path("requestBody").path("content");
                if (!content.isMissingNode()) {
                    contentType = content.fieldNames().next();
                    JsonNode example = content.get(contentType).get("example");
                    body = example.isTextual() ? example.asText() : example.toString();
                }
                List<Call> into = verb.equals("GET") ? calls : mutating;
                calls.add(Call.of(verb, path, null, contentType, body));
                calls.add(new Call(verb, path, null, "sc_not-a-real-token", contentType, body, Map.of()));
                calls.add(new Call(verb, path, null, null, contentType, body, Map.of("Authorization", "Basic eDp5")));
                for (Role weaker : Role.values()) {
                    if (!weaker.includes(role)) {
                        calls.add(Call.of(verb, path, weaker, contentType, body));
                    }
                }
                for (JsonNode parameter : parameters) {
                    String name = parameter.get("name").asText();
                    if (parameter.path("in").asText().equals("path")) {
                        for (String bad : List.of("nope", "999999", "%20", "a%2Fb", "%C3%A9t%C3%A9")) {
                            into.add(Call.of(verb, example(template, parameters, List.of(name, bad)), role, contentType, body));
                        }
                    } else {
                        for (String bad : List.of("x", "", "%E9", "%C3%A9", "a%26b", "2027-13-45", "-1", "0", "501", "true", "attr:plan",
                                "attr:nothing", "promoter", "a%00")) {
                            into.add(Call.of(verb, path + "?" + name + "=" + bad, role, contentType, body));
                        }
                        into.add(Call.of(verb, path + "?" + name + "=x&" + name + "=y", role, contentType, body));
                    }
                }
                if (body != null) {
                    for (String bad : List.of("", "not json", "[]", "{}", "null", "{\"a\":1}", "[1,2]", "\"text\"",
                            "{\"ids\":[]}", "{\"all\":false}", "{\"ids\":[1,\"x\"]}", "{\"name\":\"a b\",\"role\":\"x\"}",
                            "{\"name\":\"ops-user\",\"role\":\"ops\"}", "key: [unclosed\n", "key: x\n")) {
                        into.add(Call.of(verb, path, role, contentType, bad));
                    }
                    into.add(Call.of(verb, path, role, "text/plain", body));
                    into.add(Call.of(verb, path, role, null, body));
                    into.add(Call.of(verb, path, role, contentType + "; charset=utf-8", body));
                }
                into.add(Call.of(verb, path + "?unknown=1&dry_run=true", role, contentType, body));
                into.add(Call.of(verb, path, role, contentType, body));
            }
        }
        calls.add(Call.of("GET", "/api/reports?by=campaign", Role.VIEWER, null, null));
        calls.add(Call.of("GET", "/api/reports?by=attr:plan&from=2026-11-01&to=2026-12-31", Role.VIEWER, null, null));
        calls.add(Call.of("GET", "/api/reports?from=2026-12-31&to=2026-11-01", Role.VIEWER, null, null));
        calls.add(Call.of("GET", "/api/reports?campaign=welcome&by=month", Role.VIEWER, null, null));
        calls.add(Call.of("GET", "/api/responses?limit=2", Role.VIEWER, null, null));
        calls.add(Call.of("GET", "/api/responses?q=support&category=detractor", Role.VIEWER, null, null));
        calls.add(Call.of("GET", "/api/responses?from=2026-11-01T00:00:00Z&to=2026-12-01", Role.VIEWER, null, null));
        calls.add(Call.of("GET", "/api/responses?cursor=bm9wZQ", Role.VIEWER, null, null));
        calls.add(Call.of("GET", "/api/responses?q=a+b%20c&limit=%2B3", Role.VIEWER, null, null));
        calls.add(Call.of("GET", "/api/contacts/c3", Role.OPS, null, null));
        calls.add(Call.of("GET", "/api/campaigns?dry_run=true&dry_run=false", Role.VIEWER, null, null));
        calls.add(Call.of("GET", "/api/nothing/here", Role.ADMIN, null, null));
        calls.add(Call.of("GET", "/api/nothing/here", null, null, null));
        calls.add(Call.of("GET", "/api", Role.ADMIN, null, null));
        calls.add(Call.of("GET", "/api/", Role.ADMIN, null, null));
        calls.add(Call.of("GET", "/api/users/", Role.ADMIN, null, null));
        calls.add(Call.of("GET", "/api/me?x=1", Role.VIEWER, null, null));
        calls.add(Call.of("HEAD", "/api/me", Role.VIEWER, null, null));
        calls.add(Call.of("OPTIONS", "/api/users", Role.ADMIN, null, null));
        calls.add(Call.of("GET", "/openapi.json", null, null, null));
        calls.add(Call.of("POST", "/openapi.json", null, null, null));
        calls.add(Call.of("GET", "/health", null, null, null));
        calls.add(Call.of("GET", "/login", null, null, null));
        calls.add(Call.of("GET", "/login?next=/campaigns", null, null, null));
        calls.add(Call.of("GET", "/login?next=//evil.example", null, null, null));
        calls.add(new Call("POST", "/login", null, null, "application/x-www-form-urlencoded", "token=sc_wrong&next=%2Fcampaigns",
                Map.of("Origin", base)));
        calls.add(new Call("POST", "/login", null, null, "application/x-www-form-urlencoded", "token=sc_wrong",
                Map.of("Origin", "https://evil.example")));
        calls.add(new Call("POST", "/logout", null, null, "application/x-www-form-urlencoded", "",
                Map.of("Origin", "https://evil.example")));
        calls.add(new Call("POST", "/logout", null, null, "application/x-www-form-urlencoded", "",
                Map.of("Origin", base, "Cookie", "sc_session=nope; other=1")));
        calls.add(Call.of("GET", "/responses/1", null, null, null));
        calls.add(new Call("GET", "/responses/1", null, null, null, null, Map.of("Cookie", "sc_session=\"nope\"")));
        calls.add(Call.of("GET", "/", null, null, null));
        calls.add(Call.of("POST", "/webhooks/twilio/sms", null, "application/x-www-form-urlencoded",
                "From=%2B15550100&Body=9&MessageSid=SM1"));
        calls.add(new Call("POST", "/webhooks/twilio/status", null, null, "application/x-www-form-urlencoded",
                "MessageSid=SM1&MessageStatus=delivered", Map.of("X-Twilio-Signature", "bm9wZQ==")));
        calls.add(Call.of("GET", "/webhooks/twilio/sms", null, null, null));
        calls.add(Call.of("GET", "/s/nope", null, null, null));
        calls.add(Call.of("POST", "/s/nope", null, "application/x-www-form-urlencoded", "score=9"));
        calls.add(Call.of("GET", "/u/nope", null, null, null));
        calls.add(Call.of("POST", "/u/nope", null, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click"));
        calls.add(Call.of("GET", "/assets/favicon.svg", null, null, null));
        calls.add(Call.of("GET", "/assets/nothing.js", null, null, null));
        calls.add(Call.of("GET", "/assets/..%2Fx", null, null, null));
        calls.add(Call.of("GET", "/favicon.ico", null, null, null));
        calls.add(Call.of("GET", "/nothing", null, null, null));
        calls.add(Call.of("GET", "/dev/mail", null, null, null));
        calls.addAll(mutating);
        calls.add(Call.of("GET", "/api/users", Role.ADMIN, null, null));
        calls.add(Call.of("GET", "/api/contacts/c1", Role.OPS, null, null));
        calls.add(Call.of("GET", "/api/campaigns", Role.VIEWER, null, null));
        calls.add(Call.of("GET", "/api/messages/failed", Role.OPS, null, null));
        return calls;
    }

    /** The template with each path parameter's example, or {@code replace} = [name, value] for one of them. */
    private static String example(String template, List<JsonNode> parameters, List<String> replace) {
        String path = template;
        for (JsonNode parameter : parameters) {
            if (parameter.path("in").asText().equals("path")) {
                String name = parameter.get("name").asText();
                String value = !replace.isEmpty() && replace.get(0).equals(name) ? replace.get(1) : parameter.get("example").asText();
                path = path.replace("{" + name + "}", value);
            }
        }
        return path;
    }
}
