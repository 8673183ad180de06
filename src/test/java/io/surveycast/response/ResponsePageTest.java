package io.surveycast.response;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.App;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.MutableClock;
import io.surveycast.user.Role;
import io.surveycast.user.Users;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The page an alert links to: behind a session opened with an API token, escaped, with the answer's history. */
class ResponsePageTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final MutableClock clock = new MutableClock(T);

    @Test
    void aSignedInUserSeesTheResponseAndNobodyElseDoes() throws Exception {
        long response = ResponsesFixture.response(db.dsl(), clock, 3);
        var invitation = new Responses(db.dsl(), clock, new ResponseNotices(java.util.List.of(), Duration.ZERO, "http://x"))
                .find(new ResponseQueries().byResponse(db.dsl(), response).orElseThrow().invitationId()).orElseThrow();
        new Responses(db.dsl(), clock, new ResponseNotices(java.util.List.of(), Duration.ZERO, "http://x"))
                .answer(invitation.invitationId(), null, "<b>slow</b> support", "email");
        String token = new Users(db.dsl(), clock).add("ana", Role.VIEWER, "test").token();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        Main serve = App.camel(db.settings(Map.of("SURVEYCAST_HTTP_PORT", Integer.toString(port),
                "SURVEYCAST_HTTP_HOST", "127.0.0.1", "SURVEYCAST_PUBLIC_URL", base)), db.database(), clock);
        serve.start();
        try {
            HttpClient anonymous = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> page = anonymous.send(get(base + "/responses/" + response), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(303);
            assertThat(page.headers().firstValue("Location")).hasValue("/login?next=%2Fresponses%2F" + response);
            assertThat(page.body()).doesNotContain("slow");

            HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            assertThat(browser.send(post(base + "/login", "token=sc_wrong&next=%2F", null), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(401);
            assertThat(browser.send(post(base + "/login", "token=" + token, "https://evil.example"),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("a sign-in posted from another site").isEqualTo(403);
            HttpResponse<String> signedIn = browser.send(post(base + "/login", "token=" + token + "&next="
                    + URLEncoder.encode("/responses/" + response, StandardCharsets.UTF_8), base), HttpResponse.BodyHandlers.ofString());
            assertThat(signedIn.statusCode()).isEqualTo(303);
            assertThat(signedIn.headers().firstValue("Location")).hasValue("/responses/" + response);
            assertThat(signedIn.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly").contains("SameSite=Lax")
                    .doesNotContain(token);

            HttpResponse<String> shown = browser.send(get(base + "/responses/" + response), HttpResponse.BodyHandlers.ofString());
            assertThat(shown.statusCode()).isEqualTo(200);
            assertThat(shown.body()).contains("Ann").contains("&lt;b&gt;slow&lt;/b&gt; support").doesNotContain("<b>slow")
                    .contains("class=\"score detractor\"")
                    .as("the navigation and the signed-in user, as on every admin page")
                    .contains("<nav aria-label=\"Main\"").contains("href=\"/campaigns\"").contains("ana (viewer)");
            assertThat(browser.send(get(base + "/responses/999999"), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(404);
            assertThat(browser.send(post(base + "/login", "token=x&next=https://evil.example", base),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            HttpResponse<String> open = browser.send(post(base + "/login", "token=" + token + "&next=//evil.example", base),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(open.headers().firstValue("Location")).as("never away from this site").hasValue("/");

            browser.send(post(base + "/logout", "", base), HttpResponse.BodyHandlers.ofString());
            assertThat(browser.send(get(base + "/responses/" + response), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("signed out").isEqualTo(303);
        } finally {
            serve.stop();
        }
    }

    static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET().build();
    }

    static HttpRequest post(String url, String form, String origin) {
        var builder = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (origin != null) {
            builder.header("Origin", origin);
        }
        return builder.build();
    }
}
