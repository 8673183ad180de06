package io.surveycast.consent;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.DEV_CAPTURE;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.App;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import io.surveycast.db.tables.records.SuppressionRecord;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.SendingNode;
import io.surveycast.support.TestDatabase;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * /u/{token} through the real HTTP server, with a client that keeps no cookies: one-click
 * unsubscribe (RFC 8058), the confirmation page that changes nothing on GET, its forms protected
 * against cross-site requests, undo, and nothing more emailed once unsubscribed.
 */
class UnsubscribeTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);
    static final Pattern CSRF = Pattern.compile("name=\"action\" value=\"(\\w+)\">\\s*<input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"");
    static Database database;
    static Settings settings;
    static Main camel;
    static int port;
    final HttpClient http = HttpClient.newHttpClient(); // no cookie handler: no cookies are ever sent

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = TestDatabase.freshUrl();
        settings = TestDatabase.settings(url, Map.of("SURVEYCAST_HTTP_PORT", String.valueOf(port),
                "SURVEYCAST_HTTP_HOST", "127.0.0.1", "SURVEYCAST_PUBLIC_URL", "http://127.0.0.1:" + port,
                "SURVEYCAST_COMPANY_NAME", "Acme & <Co>", "SURVEYCAST_EMAIL_RATE", "0"));
        database = TestDatabase.open(url);
        Fixtures.contacts(database.dsl(), CLOCK, """
                external_id,email,name,locale,onboarded_at
                get,get@example.com,,en,2026-05-31T12:00:00Z
                french,fr@example.com,,fr-CA,2026-05-31T12:00:00Z
                oneclick,oneclick@example.com,,en,2026-05-31T12:00:00Z
                forged,forged@example.com,,en,2026-05-31T12:00:00Z
                undo,undo@example.com,,,2026-05-31T12:00:00Z
                bounced,bounced@example.com,,en,2026-05-31T12:00:00Z
                """);
        Fixtures.campaign(database.dsl(), CLOCK, """
                key: welcome
                name: Welcome survey
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely are you to recommend Acme?
                templates: {email: nps-invite}
                reminders:
                  - {after: P3D, channel: email}
                expires-after: P14D
                """);
        new DueRunner(database.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(T);
        try (SendingNode node = new SendingNode(settings, CLOCK)) { // development mode: mail is captured
            assertThat(node.dispatcher().drain(T).sent()).containsEntry("email", 6L);
        }
        camel = App.camel(settings, database, CLOCK);
        camel.start();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        database.close();
    }

    @Test
    void getShowsALocalisedEscapedPageAndChangesNothing() throws Exception {
        HttpResponse<String> page = get("/u/" + token("get"));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.body()).contains("lang=\"en\"").contains("Unsubscribe from Acme &amp; &lt;Co&gt; surveys?")
                .doesNotContain("<Co>").contains("g•••@example.com").contains("<form method=\"post\">")
                .contains("name=\"viewport\"");
        assertThat(csrf(page.body(), "unsubscribe")).isNotBlank();
        assertThat(get("/u/" + token("get")).statusCode()).isEqualTo(200);
        assertThat(dsl().fetchCount(SUPPRESSION, SUPPRESSION.CONTACT_ID.eq(contact("get")))).as("GET changes nothing").isZero();

        HttpResponse<String> french = get("/u/" + token("french"));
        assertThat(french.body()).as("fr-CA falls back to fr").contains("lang=\"fr\"").contains("Se désabonner");
    }

    @Test
    void oneClickPostWithoutCookiesUnsubscribesAtOnceAndNothingMoreIsEmailed() throws Exception {
        HttpResponse<String> response = post("/u/" + token("oneclick"), "List-Unsubscribe=One-Click");

        assertThat(response.statusCode()).isEqualTo(200);
        SuppressionRecord s = dsl().fetchOne(SUPPRESSION, SUPPRESSION.CONTACT_ID.eq(contact("oneclick")));
        assertThat(s).isNotNull();
        assertThat(s.getChannel()).isEqualTo("email");
        assertThat(s.getReason()).isEqualTo("unsubscribed");
        assertThat(s.getSource()).isEqualTo("one-click");
        assertThat(s.getAt().toInstant()).as("from the injected clock").isEqualTo(T);
        assertThat(post("/u/" + token("oneclick"), "List-Unsubscribe=One-Click").statusCode()).as("twice is fine")
                .isEqualTo(200);

        // the reminder falls due three days later: it is cancelled, not sent
        int captured = dsl().fetchCount(DEV_CAPTURE, DEV_CAPTURE.RECIPIENT.contains("oneclick@"));
        Instant later = T.plus(Duration.ofDays(3)).plusSeconds(60);
        new DueRunner(dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(later);
        try (SendingNode node = new SendingNode(settings, Clock.fixed(later, ZoneOffset.UTC))) {
            node.dispatcher().drain(later);
        }
        assertThat(dsl().fetchCount(DEV_CAPTURE, DEV_CAPTURE.RECIPIENT.contains("oneclick@"))).isEqualTo(captured);
        assertThat(dsl().select(MESSAGE.STATUS, MESSAGE.LAST_ERROR).from(MESSAGE)
                .where(MESSAGE.CONTACT_ID.eq(contact("oneclick")), MESSAGE.KIND.eq("reminder")).fetchOne())
                .satisfies(r -> {
                    assertThat(r.value1()).isEqualTo("cancelled");
                    assertThat(r.value2()).isEqualTo("suppressed");
                });
        assertThat(dsl().fetchCount(DEV_CAPTURE, DEV_CAPTURE.RECIPIENT.contains("get@")))
                .as("other contacts got their reminder").isEqualTo(2);
    }

    @Test
    void aFormPostWithAMissingOrWrongCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        String token = token("forged");
        String othersCsrf = csrf(get("/u/" + token("get")).body(), "unsubscribe");
        for (String body : new String[] {"action=unsubscribe", "action=unsubscribe&csrf=", "action=unsubscribe&csrf=forged",
                "action=unsubscribe&csrf=" + othersCsrf, "csrf=" + csrf(get("/u/" + token).body(), "unsubscribe"), ""}) {
            HttpResponse<String> response = post("/u/" + token, body);
            assertThat(response.statusCode()).as(body).isEqualTo(403);
        }
        String resubscribeWithUnsubscribeCsrf = "action=resubscribe&csrf=" + csrf(get("/u/" + token).body(), "unsubscribe");
        assertThat(post("/u/" + token, resubscribeWithUnsubscribeCsrf).statusCode()).isEqualTo(403);
        assertThat(dsl().fetchCount(SUPPRESSION, SUPPRESSION.CONTACT_ID.eq(contact("forged")))).isZero();
    }

    @Test
    void thePageUnsubscribesAndOffersToUndo() throws Exception {
        String token = token("undo");
        HttpResponse<String> done = post("/u/" + token, "action=unsubscribe&csrf=" + csrf(get("/u/" + token).body(), "unsubscribe"));

        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("You are unsubscribed").contains("Undo");
        assertThat(dsl().fetchOne(SUPPRESSION, SUPPRESSION.CONTACT_ID.eq(contact("undo"))).getSource()).isEqualTo("page");
        assertThat(get("/u/" + token).body()).as("the link shows the state").contains("You are unsubscribed");

        HttpResponse<String> undone = post("/u/" + token, "action=resubscribe&csrf=" + csrf(done.body(), "resubscribe"));
        assertThat(undone.statusCode()).isEqualTo(200);
        assertThat(undone.body()).contains("You are subscribed again");
        assertThat(dsl().fetchCount(SUPPRESSION, SUPPRESSION.CONTACT_ID.eq(contact("undo")))).isZero();
    }

    @Test
    void undoNeverLiftsABounceSuppression() throws Exception {
        String token = token("bounced");
        HttpResponse<String> done = post("/u/" + token, "action=unsubscribe&csrf=" + csrf(get("/u/" + token).body(), "unsubscribe"));
        String undo = "action=resubscribe&csrf=" + csrf(done.body(), "resubscribe");
        dsl().update(SUPPRESSION).set(SUPPRESSION.REASON, "hard_bounce").where(SUPPRESSION.CONTACT_ID.eq(contact("bounced")))
                .execute(); // a bounce arrived since

        HttpResponse<String> response = post("/u/" + token, undo);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("No survey emails").doesNotContain("<form");
        assertThat(dsl().fetchOne(SUPPRESSION, SUPPRESSION.CONTACT_ID.eq(contact("bounced"))).getReason())
                .isEqualTo("hard_bounce");
    }

    @Test
    void anUnknownTokenIsAPlain404() throws Exception {
        int suppressions = dsl().fetchCount(SUPPRESSION);
        for (HttpResponse<String> response : new HttpResponse[] {get("/u/no-such-token"),
                post("/u/no-such-token", "List-Unsubscribe=One-Click"), post("/u/no-such-token", "action=unsubscribe&csrf=x")}) {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        }
        assertThat(dsl().fetchCount(SUPPRESSION)).isEqualTo(suppressions);
    }

    @Test
    void withoutABounceMailboxTheBounceRouteIsDefinedButNotStarted() {
        assertThat(camel.getCamelContext().getRouteController().getRouteStatus("bounces")).isEqualTo(ServiceStatus.Stopped);
    }

    private static DSLContext dsl() {
        return database.dsl();
    }

    private static long contact(String externalId) {
        return dsl().select(CONTACT.ID).from(CONTACT).where(CONTACT.EXTERNAL_ID.eq(externalId)).fetchOne().value1();
    }

    private static String token(String externalId) {
        String token = dsl().select(INVITATION.TOKEN).from(INVITATION).where(INVITATION.CONTACT_ID.eq(contact(externalId)))
                .fetchOne().value1();
        assertThat(token).isNotBlank();
        return token;
    }

    private static String csrf(String page, String action) {
        Matcher m = CSRF.matcher(page);
        while (m.find()) {
            if (m.group(1).equals(action)) {
                return m.group(2);
            }
        }
        throw new AssertionError("no " + action + " form in " + page);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
