package io.surveycast.share;

import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.support.PageClient.get;
import static io.surveycast.support.PageClient.post;
import static io.surveycast.support.PageClient.signedIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.App;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.response.ResponseNotices;
import io.surveycast.response.Responses;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.MutableClock;
import io.surveycast.user.Role;
import io.surveycast.user.Users;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.main.Main;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The wall display: the overview without sign-in and without any contact's personal data; a
 * revoked or expired link, or any path under or beside it, shows nothing.
 */
class SharePageTest {
    static final Instant T = Instant.parse("2027-03-10T12:00:00Z");
    /** Each contact: external id, name, email, phone as imported, phone as stored (E.164), and the comment. */
    static final List<List<String>> CONTACTS = List.of(
            List.of("ext-qz7781", "Wilhelmina Quarrington", "wquarrington@zephyrmail.com", "+1 212 736 4512", "+12127364512",
                    "The export button has been broken for weeks"),
            List.of("ext-qz7782", "Bartholomew Yesenko", "b.yesenko@quokkacorp.com", "+44 7911 123456", "+447911123456",
                    "Support took four days to answer a billing question"),
            List.of("ext-qz7783", "Ottoline Vexworth", "ovex@umbralindustries.com", "+33 6 12 34 56 78", "+33612345678",
                    "Pricing went up again without any notice"));

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final MutableClock clock = new MutableClock(T);

    @Test
    void theLinkShowsTheOverviewWithNoPersonalDataAndStopsAtRevocationAndExpiry() throws Exception {
        answeredByDetractors();
        String admin = new Users(db.dsl(), clock).add("ada", Role.ADMIN, "test").token();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        Main serve = App.camel(db.settings(Map.of("SURVEYCAST_HTTP_PORT", Integer.toString(port),
                "SURVEYCAST_HTTP_HOST", "127.0.0.1", "SURVEYCAST_PUBLIC_URL", base)), db.database(), clock);
        serve.start();
        try {
            Shares shares = new Shares(db.dsl(), clock, base);
            Shares.Created forever = shares.create(null, "test");
            Shares.Created month = shares.create(Duration.ofDays(30), "test");
            assertThat(forever.url()).startsWith(base + "/share/wall_");
            HttpClient anonymous = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

            HttpResponse<String> wall = anonymous.send(get(forever.url()), HttpResponse.BodyHandlers.ofString());
            assertThat(wall.statusCode()).isEqualTo(200);
            String page = wall.body();
            assertThat(page).contains("http-equiv=\"refresh\"").contains("id=\"kpi-nps\"");
            String overview = signedIn(base, admin).send(get(base + "/"), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(kpi(page)).as("the overview's figures").isEqualTo(kpi(overview));
            for (List<String> contact : CONTACTS) {
                assertThat(page).as("the comment").contains(contact.get(5));
                for (String personal : contact.subList(0, 5)) {
                    assertThat(page).as("personal data").doesNotContainIgnoringCase(personal);
                }
                assertThat(page).as("part of a name").doesNotContain(contact.get(1).split(" ")[1]);
            }
            assertThat(page).as("no link into the dashboard").doesNotContain("href=\"/responses").doesNotContain("/contacts/")
                    .doesNotContain("href=\"/\"");
            assertThat(wall.headers().firstValue("Cache-Control")).hasValue("no-store");

            // nothing under or beside the link reaches anything else
            String token = forever.url().substring(forever.url().lastIndexOf('/') + 1);
            for (String path : List.of("/share/" + token + "/../api/contacts", "/share/" + token + "/..%2F..%2Fapi%2Fcontacts",
                    "/share/" + token + "/api/contacts", "/share/" + token + "/%2e%2e/responses/1", "/share/" + token + "/x",
                    "/share/" + token + "/../responses", "/api/contacts?token=" + token, "/responses/1?token=" + token,
                    "/share/", "/share")) {
                HttpResponse<String> other = anonymous.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(other.statusCode()).as(path).isNotEqualTo(200);
                for (List<String> contact : CONTACTS) {
                    assertThat(other.body()).as(path).doesNotContain(contact.get(1)).doesNotContain(contact.get(2));
                }
            }
            HttpResponse<String> bearer = anonymous.send(HttpRequest.newBuilder(URI.create(base + "/api/me"))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bearer.statusCode()).as("the link is no API token").isEqualTo(401);
            assertThat(anonymous.send(post(forever.url(), "x=1"), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("read-only").isNotEqualTo(200);

            HttpResponse<String> unknown = anonymous.send(get(base + "/share/wall_" + "A".repeat(43)), HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404);

            shares.revoke(forever.id(), "test");
            HttpResponse<String> revoked = anonymous.send(get(forever.url()), HttpResponse.BodyHandlers.ofString());
            assertThat(revoked.statusCode()).isEqualTo(404);
            assertThat(revoked.body()).as("the same as an unknown link").isEqualTo(unknown.body());

            assertThat(anonymous.send(get(month.url()), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            clock.advance(Duration.ofDays(30).plusSeconds(1));
            HttpResponse<String> expired = anonymous.send(get(month.url()), HttpResponse.BodyHandlers.ofString());
            assertThat(expired.statusCode()).isEqualTo(404);
            assertThat(expired.body()).isEqualTo(unknown.body());

            // the admins' page: make a link (shown once), it works, revoke it
            HttpClient browser = signedIn(base, admin);
            String list = browser.send(get(base + "/shares"), HttpResponse.BodyHandlers.ofString()).body();
            Matcher csrf = Pattern.compile("action=\"/shares\">\\s*<input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"").matcher(list);
            assertThat(csrf.find()).as(list).isTrue();
            assertThat(browser.send(post(base + "/shares", "csrf=forged&expires=P7D"), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(403);
            HttpResponse<String> made = browser.send(post(base + "/shares", "csrf=" + csrf.group(1) + "&expires=P7D"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(made.statusCode()).isEqualTo(201);
            Matcher url = Pattern.compile("id=\"share-url\">([^<]+)<").matcher(made.body());
            assertThat(url.find()).as(made.body()).isTrue();
            assertThat(anonymous.send(get(url.group(1)), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            long id = shares.list().get(shares.list().size() - 1).id();
            Matcher revoke = Pattern.compile("action=\"/shares/" + id + "/revoke\"><input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"")
                    .matcher(made.body());
            assertThat(revoke.find()).as(made.body()).isTrue();
            assertThat(browser.send(post(base + "/shares/" + id + "/revoke", "csrf=" + revoke.group(1)),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(anonymous.send(get(url.group(1)), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

            String viewer = new Users(db.dsl(), clock).add("vic", Role.VIEWER, "test").token();
            assertThat(signedIn(base, viewer).send(get(base + "/shares"), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("admins only").isEqualTo(403);
        } finally {
            serve.stop();
        }
    }

    private static String kpi(String page) {
        Matcher m = Pattern.compile("id=\"kpi-nps\">([^<]*)<").matcher(page);
        assertThat(m.find()).as(page).isTrue();
        return m.group(1);
    }

    /** The three contacts, each surveyed and answering 2 with a comment. */
    private void answeredByDetractors() {
        StringBuilder csv = new StringBuilder("external_id,email,phone,name,onboarded_at\n");
        for (List<String> c : CONTACTS) {
            csv.append(String.join(",", c.get(0), c.get(2), c.get(3), c.get(1), T.minus(Duration.ofDays(1)).toString())).append('\n');
        }
        Fixtures.contacts(db.dsl(), clock, csv.toString());
        Fixtures.campaign(db.dsl(), clock, """
                key: welcome
                name: Welcome
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                """);
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(clock.instant());
        db.dsl().update(INVITATION).set(INVITATION.STATUS, "sent")
                .set(INVITATION.TOKEN, DSL.concat(DSL.val("tok"), INVITATION.ID.cast(String.class))).execute();
        var responses = new Responses(db.dsl(), clock, new ResponseNotices(List.of(), Duration.ZERO, "http://x"));
        List<Long> invitations = db.dsl().select(INVITATION.ID).from(INVITATION).orderBy(INVITATION.ID).fetch(INVITATION.ID);
        assertThat(invitations).hasSize(CONTACTS.size());
        for (int i = 0; i < invitations.size(); i++) {
            String externalId = CONTACTS.get(i).get(0);
            long invitation = db.dsl().select(INVITATION.ID).from(INVITATION)
                    .join(io.surveycast.db.Tables.CONTACT).on(io.surveycast.db.Tables.CONTACT.ID.eq(INVITATION.CONTACT_ID))
                    .where(io.surveycast.db.Tables.CONTACT.EXTERNAL_ID.eq(externalId)).fetchSingle(INVITATION.ID);
            responses.answer(invitation, 2, CONTACTS.get(i).get(5), "email").orElseThrow();
        }
    }
}
