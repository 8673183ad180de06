package io.surveycast.followup;

import static org.assertj.core.api.Assertions.assertThat;
import static io.surveycast.support.PageClient.get;
import static io.surveycast.support.PageClient.post;
import static io.surveycast.support.PageClient.signedIn;

import io.surveycast.App;
import io.surveycast.http.FormSigner;
import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import io.surveycast.user.Users;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard's case queue and case page on a served surveycast: the queue's order and filters,
 * taking, noting and closing through the signed forms, and who may do what.
 */
class CasePagesTest {
    static final Instant T = Instant.parse("2027-04-08T10:00:00Z");
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final FrozenClock clock = new FrozenClock(T);

    @Test
    void theQueueIsFilteredAndOpsTakeNoteAndCloseThroughTheForms() throws Exception {
        var fixture = new CaseFixture(db.dsl(), clock, CaseFixture.CAMPAIGN + """
                follow-up:
                  passive: {case: true, due: P7D}
                """);
        fixture.answer("a", 2, "<script>alert(1)</script> billing is wrong"); // owner ann.owner@acme.example, due T+2d
        clock.advance(Duration.ofDays(3));
        fixture.answer("b", 8, null);                                          // passive, unassigned, due T+10d
        fixture.answer("c", 5, "slow");                                        // detractor, unassigned, due T+5d
        Users users = new Users(db.dsl(), clock);
        String ops = users.add("ann.owner@acme.example", Role.OPS, "test").token();
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
            HttpClient asViewer = signedIn(base, viewer);
            HttpResponse<String> queue = asViewer.send(get(base + "/cases"), HttpResponse.BodyHandlers.ofString());
            assertThat(queue.statusCode()).isEqualTo(200);
            assertThat(contacts(queue.body())).as("overdue first, then by due time").containsExactly("a", "c", "b");
            assertThat(queue.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt; billing is wrong")
                    .doesNotContain("<script>alert").contains("href=\"/cases\"")
                    .as("the campaign filter offers the campaigns").contains("<option value=\"welcome\">welcome</option>");
            assertThat(count(queue.body(), "class=\"overdue\"")).as("only a's case is overdue").isEqualTo(1);
            assertThat(queue.body().indexOf("class=\"overdue\"")).isLessThan(queue.body().indexOf("/contacts/a\""));
            Map<String, Long> ids = new CaseQueries().list(db.dsl(), new CaseFilter("all", null, null, null, false, 100),
                    clock.instant()).stream().collect(Collectors.toMap(FollowUpCase::externalId, FollowUpCase::id));

            assertThat(contacts(page(asViewer, base + "/cases?category=passive"))).containsExactly("b");
            assertThat(contacts(page(asViewer, base + "/cases?category=detractor"))).containsExactly("a", "c");
            assertThat(contacts(page(asViewer, base + "/cases?owner=ann.owner%40acme.example"))).containsExactly("a");
            assertThat(contacts(page(asViewer, base + "/cases?owner=-"))).as("unassigned").containsExactly("c", "b");
            assertThat(contacts(page(asViewer, base + "/cases?campaign=welcome"))).containsExactly("a", "c", "b");
            assertThat(contacts(page(asViewer, base + "/cases?campaign=other"))).isEmpty();
            assertThat(contacts(page(asViewer, base + "/cases?mine=1"))).as("vic owns none").isEmpty();
            HttpResponse<String> bad = asViewer.send(get(base + "/cases?status=done"), HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("status: expected open, in_progress, closed or all, got done");

            long c = ids.get("c");
            String viewed = page(asViewer, base + "/cases/" + c);
            assertThat(viewed).contains("slow", "href=\"/contacts/c\"", "No note yet.").doesNotContain("note-form", "close-form");
            assertThat(asViewer.send(get(base + "/cases/999999"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            assertThat(asViewer.send(get(base + "/cases/abc"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

            HttpClient asOps = signedIn(base, ops);
            assertThat(contacts(page(asOps, base + "/cases?mine=1"))).containsExactly("a");
            String casePage = page(asOps, base + "/cases/" + c);
            String take = csrf(casePage, "take");
            assertThat(asViewer.send(post(base + "/cases/" + c + "/take", "csrf=" + take), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).as("a viewer").isEqualTo(403);
            assertThat(asOps.send(post(base + "/cases/" + c + "/take", "csrf=forged"), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).as("a forged form").isEqualTo(403);
            assertThat(asOps.send(post(base + "/cases/" + ids.get("a") + "/take", "csrf=" + take),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("another case's form").isEqualTo(403);
            assertThat(find(c).owner()).as("nothing changed").isNull();

            HttpResponse<String> taken = asOps.send(post(base + "/cases/" + c + "/take", "csrf=" + take),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(taken.statusCode()).isEqualTo(303);
            assertThat(taken.headers().firstValue("Location")).hasValue("/cases/" + c);
            assertThat(find(c).owner()).isEqualTo("ann.owner@acme.example");
            assertThat(find(c).status()).isEqualTo("in_progress");
            assertThat(find(c).firstActionAt()).isEqualTo(clock.instant());

            HttpResponse<String> noted = asOps.send(post(base + "/cases/" + c + "/note", "csrf=" + csrf(casePage, "note")
                    + "&text=" + URLEncoder.encode("Called, <b>refund</b> promised", StandardCharsets.UTF_8)),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(noted.statusCode()).isEqualTo(303);
            assertThat(find(c).notes()).extracting(CaseNote::author, CaseNote::text)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("ann.owner@acme.example", "Called, <b>refund</b> promised"));
            assertThat(page(asOps, base + "/cases/" + c)).contains("Called, &lt;b&gt;refund&lt;/b&gt; promised");

            HttpResponse<String> noReason = asOps.send(post(base + "/cases/" + c + "/close", "csrf=" + csrf(casePage, "close")
                    + "&reason=+"), HttpResponse.BodyHandlers.ofString());
            assertThat(noReason.statusCode()).isEqualTo(422);
            assertThat(noReason.body()).contains("id=\"error\"", "close_reason: required");
            assertThat(find(c).status()).as("nothing changed").isEqualTo("in_progress");

            HttpResponse<String> closed = asOps.send(post(base + "/cases/" + c + "/close", "csrf=" + csrf(casePage, "close")
                    + "&reason=refund+agreed"), HttpResponse.BodyHandlers.ofString());
            assertThat(closed.statusCode()).isEqualTo(303);
            assertThat(find(c).status()).isEqualTo("closed");
            assertThat(find(c).closeReason()).isEqualTo("refund agreed");
            assertThat(page(asOps, base + "/cases/" + c)).doesNotContain("close-form");
            assertThat(asOps.send(post(base + "/cases/" + c + "/close", "csrf=" + csrf(casePage, "close")
                    + "&reason=again"), HttpResponse.BodyHandlers.ofString()).statusCode()).as("closed already").isEqualTo(409);
            assertThat(contacts(page(asViewer, base + "/cases"))).containsExactly("a", "b");
            assertThat(contacts(page(asViewer, base + "/cases?status=closed"))).containsExactly("c");

            FormSigner signer = serve.getCamelContext().getRegistry().lookupByNameAndType("formSigner", FormSigner.class);
            assertThat(asOps.send(post(base + "/cases/999999/take", "csrf=" + signer.sign("case", "take:999999")),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("an unknown case").isEqualTo(404);
        } finally {
            serve.stop();
        }
    }

    private FollowUpCase find(long id) {
        return new CaseQueries().find(db.dsl(), id, false).orElseThrow();
    }

    /** The contacts of the queue's rows, in order. */
    private static List<String> contacts(String page) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<tr data-case=\"\\d+\"[^>]*>.*?href=\"/contacts/([^\"]+)\"", Pattern.DOTALL).matcher(page);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static int count(String page, String text) {
        return page.split(Pattern.quote(text), -1).length - 1;
    }

    private static String csrf(String page, String action) {
        Matcher m = Pattern.compile("action=\"/cases/\\d+/" + action + "\"[^>]*>\\s*<input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"")
                .matcher(page);
        assertThat(m.find()).as(page).isTrue();
        return URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
    }

    private static String page(HttpClient client, String url) throws Exception {
        HttpResponse<String> answer = client.send(get(url), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(url + ": " + answer.body()).isEqualTo(200);
        return answer.body();
    }
}
