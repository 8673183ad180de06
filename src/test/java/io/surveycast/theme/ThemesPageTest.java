package io.surveycast.theme;

import static io.surveycast.db.Tables.RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;
import static io.surveycast.support.PageClient.get;
import static io.surveycast.support.PageClient.post;
import static io.surveycast.support.PageClient.signedIn;

import io.surveycast.App;
import io.surveycast.support.ApiServer;
import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import io.surveycast.user.Users;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dashboard's Themes page, and a response's themes shown as chips and set by hand by ops. */
class ThemesPageTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    long response(String comment) {
        return db.dsl().select(RESPONSE.ID).from(RESPONSE).where(RESPONSE.COMMENT.eq(comment)).fetchSingle(RESPONSE.ID);
    }

    @Test
    void themesAreRankedByImpactWithTheirLatestCommentsAndOpsSetAResponsesThemes() throws Exception {
        ApiServer.seed(db.dsl()); // five answers from 2026-11-02 to 2027-01-03; the clock is 2027-01-15
        Themes themes = new Themes(db.dsl(), ApiServer.CLOCK);
        themes.ensureDefaults("test");
        themes.setManual(response("Great SUPPORT team"), List.of("support"), "test");            // 10
        long slow = response("support was slow, 100% annoying");                                   // 3
        themes.setManual(slow, List.of("support", "reliability"), "test");
        themes.setManual(response("Too expensive"), List.of("pricing"), "test");                   // 0
        themes.setManual(response("lovely product; support fine"), List.of("product-quality"), "test"); // 9
        Users users = new Users(db.dsl(), ApiServer.CLOCK);
        String ops = users.add("olga", Role.OPS, "test").token();
        String viewer = users.add("vic", Role.VIEWER, "test").token();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        Main serve = App.camel(db.settings(Map.of("SURVEYCAST_HTTP_PORT", Integer.toString(port),
                "SURVEYCAST_HTTP_HOST", "127.0.0.1", "SURVEYCAST_PUBLIC_URL", base, "SURVEYCAST_THEMES_MODEL", "false")),
                db.database(), ApiServer.CLOCK);
        serve.start();
        try {
            HttpClient anonymous = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            assertThat(anonymous.send(get(base + "/themes"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(303);

            HttpClient asViewer = signedIn(base, viewer);
            HttpResponse<String> page = asViewer.send(get(base + "/themes"), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            String html = page.body();
            // overall NPS 0 over 5 answers; without "pricing" (the 0) it is 25, so pricing's impact is -25
            assertThat(attributes(html, "data-theme")).containsExactly("pricing", "product-quality", "reliability",
                    "ease-of-use", "missing-features", "onboarding", "support");
            String pricing = row(html, "pricing");
            assertThat(pricing).contains("Mentions\">1<", "Impact\" class=\"impact drag\">-25.0<", "Comments\">25.0 %<",
                    "Detractors' comments\">50.0 %<");
            assertThat(row(html, "product-quality")).contains("Impact\" class=\"impact\">+25.0<");
            assertThat(row(html, "support")).contains("Mentions\">2<", "2026-Q4</span> 2", "2027-Q1</span> 0");
            String supportComments = html.substring(html.indexOf("id=\"theme-support\""));
            supportComments = supportComments.substring(0, supportComments.indexOf("</section>"));
            assertThat(supportComments).contains("support was slow, 100% annoying", "Great SUPPORT team",
                    "<a class=\"chip\" href=\"/responses?theme=reliability\">reliability</a>");
            assertThat(supportComments.indexOf("support was slow")).as("newest first")
                    .isLessThan(supportComments.indexOf("Great SUPPORT"));
            assertThat(html).contains("<a href=\"/themes\">Themes</a>");

            String viewerView = asViewer.send(get(base + "/responses/" + slow), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(viewerView).contains("class=\"chip\" href=\"/responses?theme=reliability\" title=\"manual\">")
                    .doesNotContain("theme-form");
            assertThat(asViewer.send(get(base + "/responses?theme=reliability"), HttpResponse.BodyHandlers.ofString()).body())
                    .contains("support was slow").doesNotContain("Too expensive");
            assertThat(asViewer.send(post(base + "/responses/" + slow + "/themes", "csrf=x&theme.pricing=on"),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("a viewer").isEqualTo(403);

            HttpClient asOps = signedIn(base, ops);
            String opsView = asOps.send(get(base + "/responses/" + slow), HttpResponse.BodyHandlers.ofString()).body();
            Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(opsView);
            assertThat(csrf.find()).as(opsView).isTrue();
            assertThat(opsView).contains("name=\"theme.reliability\" checked", "name=\"theme.pricing\">");
            assertThat(asOps.send(post(base + "/responses/" + slow + "/themes", "csrf=forged&theme.pricing=on"),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
            assertThat(themes.themesOf(slow)).containsExactly("reliability (manual)", "support (manual)");
            HttpResponse<String> saved = asOps.send(post(base + "/responses/" + slow + "/themes",
                    "csrf=" + csrf.group(1) + "&theme.pricing=on&theme.support=on"), HttpResponse.BodyHandlers.ofString());
            assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
            assertThat(themes.themesOf(slow)).containsExactly("pricing (manual)", "support (manual)");
            assertThat(asOps.send(post(base + "/responses/" + slow + "/themes", "csrf=" + csrf.group(1) + "&theme.speed=on"),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("an unknown theme").isEqualTo(400);
            assertThat(themes.themesOf(slow)).containsExactly("pricing (manual)", "support (manual)");
        } finally {
            serve.stop();
        }
    }

    private static List<String> attributes(String html, String name) {
        List<String> values = new ArrayList<>();
        Matcher m = Pattern.compile(name + "=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }

    private static String row(String html, String theme) {
        int start = html.indexOf("data-theme=\"" + theme + "\"");
        return html.substring(start, html.indexOf("</tr>", start));
    }
}
