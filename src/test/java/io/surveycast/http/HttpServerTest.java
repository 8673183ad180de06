package io.surveycast.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.App;
import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import io.surveycast.support.CliRun;
import io.surveycast.support.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpServerTest {
    static Database database;
    static Main camel;
    static int port;
    static Settings settings;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = TestDatabase.freshUrl();
        settings = TestDatabase.settings(url, Map.of("SURVEYCAST_HTTP_PORT", String.valueOf(port),
                "SURVEYCAST_HTTP_HOST", "127.0.0.1"));
        database = TestDatabase.open(url);
        camel = App.camel(settings, database, Clock.systemUTC());
        camel.start();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        database.close();
    }

    @Test
    void healthReportsTheDatabase() throws Exception {
        HttpResponse<String> response = get("/health", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.body()).isEqualTo("{\"status\":\"UP\",\"database\":{\"status\":\"UP\",\"kind\":\"external\"}}");
    }

    @Test
    void meAnswersForAValidTokenOnly() throws Exception {
        String token = CliRun.run(settings, "users", "add", "vera", "--role", "viewer").outLines().get(0);

        HttpResponse<String> ok = get("/api/me", "Bearer " + token);
        HttpResponse<String> none = get("/api/me", null);
        HttpResponse<String> wrong = get("/api/me", "Bearer sc_not-a-token");
        HttpResponse<String> basic = get("/api/me", "Basic dmVyYTpwYXNz");

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"name\":\"vera\"").contains("\"role\":\"viewer\"");
        for (HttpResponse<String> denied : java.util.List.of(none, wrong, basic)) {
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(denied.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(denied.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"surveycast\"");
            assertThat(denied.body()).contains("\"status\":401").doesNotContain("vera");
        }
    }

    private HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
