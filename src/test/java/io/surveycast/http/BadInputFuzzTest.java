package io.surveycast.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import java.io.ByteArrayOutputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import io.surveycast.support.ApiServer;

/**
 * Bad input everywhere: NUL, lone surrogates, bytes that are not UTF-8, over-long and deeply
 * nested values, sent to every registered HTTP route (path, query and body) and to every CLI
 * input. Only 4xx (or exit 2) may come back, never a 500 or an uncaught exception, and the log
 * stays quiet: no stack trace, no error, at most one line per request.
 */
class BadInputFuzzTest {
    private static final List<String> BAD_SEGMENTS = List.of("%00", "x%00y", "%ED%A0%80", "%FF%FE", "%C0%AF");
    private static final List<String> BAD_QUERIES = List.of("q=%00", "campaign=%ED%A0%80&by=attr:%00", "from=%FF",
            "next=%00", "score=%00", "cursor=%00&limit=%00", "token=%ED%B0%80");
    private static final String LONG = "a".repeat(5000);

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    @TempDir
    Path dir;

    private record Body(String contentType, byte[] bytes, boolean bad) {
        static Body text(String contentType, String text, boolean bad) {
            return new Body(contentType, text.getBytes(StandardCharsets.UTF_8), bad);
        }
    }

    private record Call(String method, String path, Body body) {
    }

    private static List<Body> bodies() {
        ByteArrayOutputStream invalid = new ByteArrayOutputStream();
        invalid.writeBytes("{\"name\":\"".getBytes(StandardCharsets.UTF_8));
        invalid.write(0xFF);
        invalid.write(0xFE);
        invalid.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        String deepJson = "[".repeat(10_000) + "]".repeat(10_000);
        return List.of(
                Body.text("application/json", "{\"external_id\":\"x\\u0000\",\"name\":\"a\\u0000b\",\"event_id\":\"\\u0000\"}", true),
                Body.text("application/json", "[{\"external_id\":\"\\ud800\",\"email\":\"a@example.com\"}]", true),
                Body.text("application/json", "{\"ids\":[\"\\udc00\"],\"name\":\"\\ud800x\",\"role\":\"admin\"}", true),
                new Body("application/json", invalid.toByteArray(), true),
                Body.text("application/json", deepJson, true),
                Body.text("application/json", "{\"a\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5001), true),
                Body.text("application/json", "{\"name\":\"" + "x".repeat(900_000) + "\",\"role\":\"viewer\"}", false),
                Body.text("application/x-www-form-urlencoded",
                        "token=%00&next=%00&step=comment&comment=%00&score=9&Body=%00&From=%2B15550100&MessageSid=%00", true),
                Body.text("application/x-www-form-urlencoded", "comment=%ED%A0%80&step=comment&next=%2F%FF", true),
                Body.text("application/x-www-form-urlencoded", "comment=" + "x".repeat(200_000) + "&step=comment", false),
                Body.text("application/x-www-form-urlencoded", "comment=%ZZ%&step=comment&token=%E", true),
                Body.text("application/yaml", "key: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n", true),
                Body.text("application/yaml", "key: \"a\\0b\"\nname: \"\\uD800\"\n", true),
                Body.text("application/yaml", "---\n".repeat(95_000), true));
    }

    @Test
    void everyRouteAnswersBadInputWithA4xxAndAQuietLog() throws Exception {
        try (ApiServer server = new ApiServer(db)) {
            ApiServer.seed(db.dsl());
            String admin = server.tokens.get(Role.ADMIN);
            HttpClient pages = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
            pages.send(HttpRequest.newBuilder(URI.create(server.base + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", server.base)
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + admin)).build(), HttpResponse.BodyHandlers.discarding());

            List<Call> calls = calls(server);
            assertThat(calls.stream().map(Call::path)).as("the routes were found")
                    .anyMatch(p -> p.startsWith("/s/")).anyMatch(p -> p.startsWith("/u/"))
                    .anyMatch(p -> p.startsWith("/login")).anyMatch(p -> p.startsWith("/webhooks/twilio/sms"))
                    .anyMatch(p -> p.startsWith("/api/contacts/")).anyMatch(p -> p.startsWith("/api/campaigns"));

            ListAppender<ILoggingEvent> log = new ListAppender<>();
            Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            log.start();
            root.addAppender(log);
            List<String> failures = new ArrayList<>();
            try {
                for (Call call : calls) {
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base + call.path()))
                            .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + admin)
                            .header("Origin", server.base)
                            .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(call.body().bytes()));
                    if (call.body() != null) {
                        request.header("Content-Type", call.body().contentType());
                    }
                    HttpResponse<String> response;
                    try {
                        response = pages.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    } catch (java.io.IOException e) {
                        // once: the server closes the connection after refusing an over-long request line
                        // (414), and the client may have taken that closing connection for the next request
                        try {
                            response = pages.send(request.build(), HttpResponse.BodyHandlers.ofString());
                        } catch (java.io.IOException again) {
                            failures.add(call.method() + " " + abbreviated(call.path()) + " -> no answer: " + e.getMessage());
                            continue;
                        }
                    }
                    // YAML is only read as such by the campaigns API; elsewhere it is plain (harmless) text
                    boolean bad = call.body() == null || call.body().bad() && (!call.body().contentType().contains("yaml")
                            || call.path().startsWith("/api/campaigns"));
                    int status = response.statusCode();
                    if (status >= 500 || bad && (status < 400)) {
                        failures.add(call.method() + " " + abbreviated(call.path()) + " "
                                + (call.body() == null ? "" : call.body().contentType() + " ") + "-> " + status);
                    }
                }
            } finally {
                root.detachAppender(log);
            }
            assertThat(failures).as("requests answered otherwise than 4xx").isEmpty();
            assertThat(log.list).as("no stack trace in the log")
                    .noneMatch(e -> e.getThrowableProxy() != null).noneMatch(e -> e.getLevel() == Level.ERROR);
            assertThat(log.list.size()).as("at most one log line per request").isLessThanOrEqualTo(calls.size());
        }
    }

    @Test
    void theApiHoldsContactFieldsToTheImportsLimits() throws Exception {
        try (ApiServer server = new ApiServer(db)) {
            HttpResponse<String> lineBreak = server.json("PUT", "/api/contacts/c1", Role.OPS,
                    "{\"email\":\"a@example.com\",\"name\":\"Ann\\r\\nBcc: x@example.com\"}");
            HttpResponse<String> longName = server.json("PUT", "/api/contacts/c1", Role.OPS,
                    "{\"email\":\"a@example.com\",\"name\":\"" + "n".repeat(201) + "\"}");
            HttpResponse<String> longValue = server.json("PUT", "/api/contacts/c1", Role.OPS,
                    "{\"email\":\"a@example.com\",\"attributes\":{\"plan\":\"" + "v".repeat(1001) + "\"}}");
            HttpResponse<String> longAttribute = server.json("PUT", "/api/contacts/c1", Role.OPS,
                    "{\"email\":\"a@example.com\",\"attributes\":{\"" + "k".repeat(65) + "\":\"v\"}}");
            HttpResponse<String> fine = server.json("PUT", "/api/contacts/c1", Role.OPS,
                    "{\"email\":\"a@example.com\",\"name\":\"" + "n".repeat(200) + "\"}");

            assertThat(lineBreak.statusCode()).isEqualTo(422);
            assertThat(lineBreak.body()).contains("name: contains a control character");
            assertThat(longName.statusCode()).isEqualTo(422);
            assertThat(longName.body()).contains("name: longer than 200 characters (201)");
            assertThat(longValue.statusCode()).isEqualTo(422);
            assertThat(longValue.body()).contains("attributes.plan: longer than 1000 characters (1001)");
            assertThat(longAttribute.statusCode()).isEqualTo(422);
            assertThat(longAttribute.body()).contains("attribute name longer than 64 characters");
            assertThat(fine.statusCode()).as(fine.body()).isEqualTo(201);
        }
    }

    /** Every registered route and method with bad path values, bad queries and bad bodies. */
    private static List<Call> calls(ApiServer server) {
        Set<String> seen = new LinkedHashSet<>();
        List<Call> calls = new ArrayList<>();
        for (var route : server.context().getRoutes()) {
            if (!(route.getEndpoint() instanceof PlatformHttpEndpoint endpoint)) {
                continue;
            }
            String path = endpoint.getPath();
            String restrict = endpoint.getHttpMethodRestrict();
            List<String> methods = restrict == null ? List.of("GET", "POST", "PUT") : List.of(restrict.split(","));
            for (String method : methods) {
                if (!seen.add(method + " " + path)) {
                    continue;
                }
                List<String> paths = new ArrayList<>();
                if (path.contains("{")) {
                    for (String segment : BAD_SEGMENTS) {
                        paths.add(path.replaceAll("\\{[^}]+}", segment));
                    }
                }
                String plain = path.replaceAll("\\{[^}]+}", "x");
                for (String query : BAD_QUERIES) {
                    paths.add(plain + "?" + query);
                }
                paths.forEach(p -> calls.add(new Call(method, p, null)));
                calls.add(new Call(method, path.replaceAll("\\{[^}]+}", LONG), new Body("text/plain", new byte[0], false)));
                if (method.equals("POST") || method.equals("PUT")) {
                    for (Body body : bodies()) {
                        calls.add(new Call(method, plain, body));
                    }
                }
            }
        }
        return calls;
    }

    @Test
    void everyCliInputAnswersBadInputWithExit2() throws Exception {
        byte[] nul = {0};
        byte[] notUtf8 = {(byte) 0xFF, (byte) 0xFE};
        byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
        List<String> failures = new ArrayList<>();
        for (byte[] bad : List.of(nul, notUtf8, surrogate)) {
            Path contacts = file("contacts.csv", "external_id,email,name\nc1,a@example.com,A", bad, "nn\n");
            Path header = file("header.csv", "external_id,email,na", bad, "me\nc1,a@example.com,A\n");
            Path campaign = file("campaign.yaml", "key: a", bad, "b\nname: x\n");
            expect2(failures, "contacts", "import", contacts.toString());
            expect2(failures, "contacts", "import", header.toString());
            expect2(failures, "campaigns", "apply", campaign.toString());
        }
        expect2(failures, "contacts", "import", file("long.csv", "external_id,email,name\nc1,a@example.com,"
                + "x".repeat(5_000_000) + "\n").toString());
        expect2(failures, "contacts", "import", file("deep.csv", "external_id,email,name\nc1,a@example.com,"
                + "\"".repeat(10_001) + "\n").toString());
        expect2(failures, "campaigns", "apply", file("deep.yaml", "key: " + "[".repeat(10_000) + "]".repeat(10_000)).toString());
        expect2(failures, "campaigns", "apply", file("docs.yaml", "---\n".repeat(95_000)).toString());
        expect2(failures, "campaigns", "apply", file("long.yaml", "key: " + "x".repeat(3 << 20)).toString());
        for (String value : List.of("a\u0000b", "\ud800", LONG)) {
            expect2(failures, "report", "--campaign", value);
            expect2(failures, "report", "--by", "attr:" + value);
            expect2(failures, "report", "--from", value);
            expect2(failures, "campaigns", "pause", value);
            expect2(failures, "campaigns", "resume", value);
            expect2(failures, "plan", value, "--dry-run");
            expect2(failures, "responses", "export", "--campaign", value);
            expect2(failures, "responses", "export", "--from", value);
            expect2(failures, "messages", "export", "--from", value);
            expect2(failures, "messages", "retry", value);
            expect2(failures, "contacts", "import", value);
            expect2(failures, "campaigns", "apply", value);
            expect2(failures, "run-due", "--at", value);
            expect2(failures, "forecast", "--days", value);
        }
        expect2(failures, "users", "add", "a\u0000b", "--role", "admin");
        expect2(failures, "users", "add", "a\nb", "--role", "admin");
        assertThat(failures).as("CLI runs that did not exit 2 with a one-line error").isEmpty();
    }

    private void expect2(List<String> failures, String... args) {
        CliRun run;
        try {
            run = CliRun.run(db.settings(), args);
        } catch (Throwable e) {
            failures.add(abbreviated(String.join(" ", args)) + " threw " + e);
            return;
        }
        if (run.exitCode() != 2 || run.err().contains("\tat ") || run.err().isBlank()) {
            failures.add(abbreviated(String.join(" ", args)) + " -> exit " + run.exitCode() + ": "
                    + abbreviated(run.err().strip()));
        }
    }

    private Path file(String name, String text) throws Exception {
        Path file = Files.createTempFile(dir, "fuzz", name);
        Files.writeString(file, text);
        return file;
    }

    private Path file(String name, String before, byte[] bad, String after) throws Exception {
        Path file = Files.createTempFile(dir, "fuzz", name);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(bad);
        bytes.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        Files.write(file, bytes.toByteArray());
        return file;
    }

    private static String abbreviated(String text) {
        String printable = text.replace("\u0000", "\\0");
        return printable.length() > 160 ? printable.substring(0, 160) + "..." : printable;
    }
}
