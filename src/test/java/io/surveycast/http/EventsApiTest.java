package io.surveycast.http;

import static io.surveycast.db.Tables.EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.App;
import io.surveycast.support.CliRun;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EventsApiTest {
    static int port;

    static {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase(Map.of("SURVEYCAST_HTTP_PORT", String.valueOf(port),
            "SURVEYCAST_HTTP_HOST", "127.0.0.1", "SURVEYCAST_DUE_SCAN_INTERVAL", "PT1H"));
    final HttpClient http = HttpClient.newHttpClient();
    Main camel;

    @BeforeEach
    void start() throws Exception {
        Fixtures.contacts(db.dsl(), Clock.systemUTC(), "external_id,email\nc42,a@example.com\n");
        camel = App.camel(db.settings(), db.database(), Clock.systemUTC());
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void opsPostEventsOnceEachAndViewersMayNot() throws Exception {
        String ops = CliRun.run(db.settings(), "users", "add", "olga", "--role", "ops").outLines().get(0);
        String viewer = CliRun.run(db.settings(), "users", "add", "vic", "--role", "viewer").outLines().get(0);
        String event = """
                {"event_id": "t-981", "external_id": "c42", "event": "ticket-closed",
                 "occurred_at": "2026-11-20T10:00:00Z", "payload": {"ticket": 981}}""";

        HttpResponse<String> first = post(ops, event);
        HttpResponse<String> again = post(ops, event);
        HttpResponse<String> denied = post(viewer, event);
        HttpResponse<String> anonymous = post(null, event);
        HttpResponse<String> unknown = post(ops, event.replace("c42", "nobody").replace("t-981", "t-982"));
        HttpResponse<String> badTime = post(ops, event.replace("2026-11-20T10:00:00Z", "yesterday").replace("t-981", "t-983"));
        HttpResponse<String> notJson = post(ops, "event_id=t-984");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.body()).isEqualTo("{\"event_id\":\"t-981\",\"status\":\"created\"}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"status\":\"duplicate\"");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.body()).contains("no contact with external_id nobody");
        assertThat(badTime.statusCode()).isEqualTo(422);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(db.dsl().fetchCount(EVENT)).isEqualTo(1);
        assertThat(db.dsl().fetchValue(EVENT.PAYLOAD).data()).isEqualTo("{\"ticket\": 981}");
    }

    private HttpResponse<String> post(String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
