package io.surveycast.user;

import static org.assertj.core.api.Assertions.assertThat;
import static io.surveycast.support.PageClient.get;
import static io.surveycast.support.PageClient.post;
import static io.surveycast.support.PageClient.signedIn;

import io.surveycast.App;
import io.surveycast.support.FreshDatabase;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin-only users page: add (token shown once), disable, enable, rotate, and the last admin kept. */
class UsersPageTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void anAdminManagesUsersFromThePageOthersCannot() throws Exception {
        Clock clock = Clock.systemUTC();
        Users users = new Users(db.dsl(), clock);
        String admin = users.add("ada", Role.ADMIN, "test").token();
        String ops = users.add("olga", Role.OPS, "test").token();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        Main serve = App.camel(db.settings(Map.of("SURVEYCAST_HTTP_PORT", Integer.toString(port),
                "SURVEYCAST_HTTP_HOST", "127.0.0.1", "SURVEYCAST_PUBLIC_URL", base)), db.database(), clock);
        serve.start();
        try {
            HttpClient asOps = signedIn(base, ops);
            assertThat(asOps.send(get(base + "/users"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
            assertThat(asOps.send(get(base + "/"), HttpResponse.BodyHandlers.ofString()).body()).doesNotContain("href=\"/users\"");

            HttpClient asAdmin = signedIn(base, admin);
            String page = asAdmin.send(get(base + "/users"), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(page).contains("ada", "olga");
            assertThat(asAdmin.send(post(base + "/users", "csrf=forged&name=eve&role=admin"),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);

            HttpResponse<String> added = asAdmin.send(post(base + "/users", "csrf=" + field(page, "action=\"/users\">\\s*<input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"")
                    + "&name=reporting-bot&role=viewer"), HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).isEqualTo(201);
            String token = field(added.body(), "<code[^>]*>(sc_[^<]+)</code>");
            assertThat(users.authenticate(token)).map(User::name).contains("reporting-bot");
            assertThat(asAdmin.send(get(base + "/users"), HttpResponse.BodyHandlers.ofString()).body())
                    .as("shown once").doesNotContain(token);

            HttpResponse<String> disabled = act(asAdmin, base, page, "olga", "disable");
            assertThat(disabled.statusCode()).isEqualTo(200);
            assertThat(users.authenticate(ops)).as("a disabled user's token").isEmpty();
            assertThat(asOps.send(get(base + "/"), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("a disabled user's session").isEqualTo(303);
            page = asAdmin.send(get(base + "/users"), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(act(asAdmin, base, page, "olga", "enable").statusCode()).isEqualTo(200);
            assertThat(users.authenticate(ops)).isPresent();

            HttpResponse<String> rotated = act(asAdmin, base, page, "olga", "rotate");
            String fresh = field(rotated.body(), "<code[^>]*>(sc_[^<]+)</code>");
            assertThat(users.authenticate(ops)).as("the old token").isEmpty();
            assertThat(users.authenticate(fresh)).map(User::name).contains("olga");

            HttpResponse<String> last = act(asAdmin, base, page, "ada", "disable");
            assertThat(last.statusCode()).isEqualTo(409);
            assertThat(last.body()).contains("ada is the only enabled admin");
            assertThat(users.authenticate(admin)).isPresent();
        } finally {
            serve.stop();
        }
    }

    private static HttpResponse<String> act(HttpClient client, String base, String page, String name, String action)
            throws Exception {
        String csrf = field(page, "action=\"/users/" + Pattern.quote(URLEncoder.encode(name, StandardCharsets.UTF_8)) + "/" + action
                + "\"><input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"");
        return client.send(post(base + "/users/" + name + "/" + action, "csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8)),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String page, String regex) {
        Matcher m = Pattern.compile(regex).matcher(page);
        assertThat(m.find()).as(page).isTrue();
        return m.group(1);
    }
}
