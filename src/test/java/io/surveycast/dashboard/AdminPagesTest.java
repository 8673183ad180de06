package io.surveycast.dashboard;

import static io.surveycast.db.Tables.CAMPAIGN;
import static org.assertj.core.api.Assertions.assertThat;
import static io.surveycast.support.PageClient.get;
import static io.surveycast.support.PageClient.post;
import static io.surveycast.support.PageClient.signedIn;

import io.surveycast.App;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import io.surveycast.user.Users;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pages and roles: every page needs a session; pausing a campaign needs ops and a form from this site. */
class AdminPagesTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void opsPauseAndResumeAViewerCannotAndEveryPageNeedsASession() throws Exception {
        Clock clock = Clock.systemUTC();
        Fixtures.examples(db.dsl(), clock);
        Users users = new Users(db.dsl(), clock);
        String ops = users.add("olga", Role.OPS, "test").token();
        String viewer = users.add("vic", Role.VIEWER, "test").token();
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
            for (String page : new String[] {"/", "/campaigns", "/campaigns/quarterly-nps", "/responses", "/suppressions"}) {
                assertThat(anonymous.send(get(base + page), HttpResponse.BodyHandlers.ofString()).statusCode())
                        .as(page).isEqualTo(303);
            }
            assertThat(anonymous.send(post(base + "/campaigns/quarterly-nps/pause", "csrf=x"), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(303);

            HttpClient asViewer = signedIn(base, viewer);
            HttpResponse<String> list = asViewer.send(get(base + "/campaigns"), HttpResponse.BodyHandlers.ofString());
            assertThat(list.body()).contains("quarterly-nps").doesNotContain(">Pause<");
            assertThat(asViewer.send(post(base + "/campaigns/quarterly-nps/pause", "csrf=x"), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).as("a viewer").isEqualTo(403);
            for (String page : new String[] {"/", "/campaigns/quarterly-nps", "/responses?category=detractor&q=%3Cb%3E", "/suppressions"}) {
                assertThat(asViewer.send(get(base + page), HttpResponse.BodyHandlers.ofString()).statusCode()).as(page).isEqualTo(200);
            }
            assertThat(asViewer.send(get(base + "/campaigns/nope"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

            HttpClient asOps = signedIn(base, ops);
            String page = asOps.send(get(base + "/campaigns"), HttpResponse.BodyHandlers.ofString()).body();
            Matcher form = Pattern.compile("action=\"/campaigns/quarterly-nps/pause\"><input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"")
                    .matcher(page);
            assertThat(form.find()).as(page).isTrue();
            assertThat(asOps.send(post(base + "/campaigns/quarterly-nps/pause", "csrf=forged"), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(403);
            assertThat(status()).isEqualTo("active");
            assertThat(asOps.send(post(base + "/campaigns/quarterly-nps/pause", "csrf=" + form.group(1)),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(303);
            assertThat(status()).isEqualTo("paused");
            assertThat(asOps.send(post(base + "/campaigns/quarterly-nps/resume", "csrf=" + form.group(1)),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(303);
            assertThat(status()).isEqualTo("active");
        } finally {
            serve.stop();
        }
    }

    @Test
    void suppressionsPageAndSearchAnEmptyForecastSaysSoAndThereIsAFavicon() throws Exception {
        Clock clock = Clock.systemUTC();
        StringBuilder csv = new StringBuilder("external_id,email,name\n");
        for (int i = 1; i <= 130; i++) {
            csv.append("c").append(i).append(",p").append(i).append("@example.com,").append(i == 77 ? "Zoë O'Hara" : "Person " + i)
                    .append('\n');
        }
        Fixtures.contacts(db.dsl(), clock, csv.toString());
        db.dsl().execute("insert into suppression (contact_id, channel, reason, source, at) "
                + "select id, 'email', 'unsubscribed', 'link', now() - id * interval '1 hour' from contact");
        Fixtures.campaign(db.dsl(), clock, """
                key: on-event
                name: On event
                trigger: {type: event, event: signed}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                """);
        String viewer = new Users(db.dsl(), clock).add("vic", Role.VIEWER, "test").token();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        Main serve = App.camel(db.settings(Map.of("SURVEYCAST_HTTP_PORT", Integer.toString(port),
                "SURVEYCAST_HTTP_HOST", "127.0.0.1")), db.database(), clock);
        serve.start();
        try {
            HttpClient browser = signedIn(base, viewer);
            String first = browser.send(get(base + "/suppressions"), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(rows(first)).isEqualTo(100);
            assertThat(first).contains("href=\"/suppressions?q=&amp;page=2\"").doesNotContain("rel=\"prev\"");
            String second = browser.send(get(base + "/suppressions?q=&page=2"), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(rows(second)).isEqualTo(30);
            assertThat(second).contains("rel=\"prev\"").doesNotContain("rel=\"next\"").contains("c130");
            String found = browser.send(get(base + "/suppressions?q=o%27hara"), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(rows(found)).isEqualTo(1);
            assertThat(found).contains("c77").contains("value=\"o&#39;hara\"");
            assertThat(rows(browser.send(get(base + "/suppressions?q=p12"), HttpResponse.BodyHandlers.ofString()).body()))
                    .as("p12, p120..p129 by email").isEqualTo(11);
            String none = browser.send(get(base + "/suppressions?q=%25"), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(rows(none)).as("a %% is a character, not a wildcard").isZero();
            assertThat(none).contains("No suppressed contact matches.");
            assertThat(browser.send(get(base + "/suppressions?page=x"), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);

            String campaign = browser.send(get(base + "/campaigns/on-event"), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(campaign).contains("id=\"forecast-empty\"").doesNotContain("<canvas id=\"forecast\"");
            assertThat(AdminPages.nothingPlanned("{\"invites\":[0,0],\"reminders\":[0,0]}")).isTrue();
            assertThat(AdminPages.nothingPlanned("{\"invites\":[0,0],\"reminders\":[0,3]}")).isFalse();

            HttpResponse<byte[]> icon = browser.send(get(base + "/favicon.ico"), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(icon.statusCode()).isEqualTo(200);
            assertThat(icon.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
            assertThat(new String(icon.body(), java.nio.charset.StandardCharsets.UTF_8)).startsWith("<svg");
            assertThat(first).contains("<link rel=\"icon\" href=\"/assets/favicon.svg\"");
        } finally {
            serve.stop();
        }
    }

    private static int rows(String page) {
        Matcher m = Pattern.compile("<td data-label=\"Channel\">").matcher(page);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private String status() {
        return db.dsl().select(CAMPAIGN.STATUS).from(CAMPAIGN).where(CAMPAIGN.KEY.eq("quarterly-nps")).fetchSingle().value1();
    }
}
