package io.surveycast.devmode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.App;
import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import io.surveycast.support.CliRun;
import io.surveycast.support.TestDatabase;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * The newcomer's path: serve with no mail or SMS settings, apply the example campaigns, import
 * the sample contacts, run-due, and see what would have gone out in /dev/mail and /dev/sms.
 */
class DevModeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void capturedEmailAndSmsAreListedAndAnEmailOpensAsTheRecipientSeesIt() throws Exception {
        int port = freePort();
        String url = TestDatabase.freshUrl();
        // one clock for serve and the commands, just after run-due's last step, so answers come after their
        // invites; the server's own scans and sends wait (the counts below are run-due's)
        Settings settings = TestDatabase.settings(url, Map.of("SURVEYCAST_HTTP_PORT", String.valueOf(port),
                "SURVEYCAST_HTTP_HOST", "127.0.0.1", "SURVEYCAST_PUBLIC_URL", "http://127.0.0.1:" + port,
                "SURVEYCAST_CLOCK", "fixed:2027-04-08T14:05:00Z", "SURVEYCAST_DUE_SCAN_INTERVAL", "PT1H",
                "SURVEYCAST_DISPATCH_INTERVAL", "3600000"));
        try (Database database = TestDatabase.open(url)) {
            Main serve = App.camel(settings, database, io.surveycast.config.ClockFactory.fromSettings(settings));
            serve.start();
            try {
                assertThat(CliRun.run(settings, "campaigns", "apply", "campaigns").exitCode()).isZero();
                assertThat(CliRun.run(settings, "contacts", "import", "docs/examples/contacts.csv").exitCode()).isZero();
                CliRun run = CliRun.run(settings, "run-due", "--at", "2027-04-06T14:00:00Z", "--until",
                        "2027-04-08T14:00:00Z", "--step", "PT6H", "--format", "json");
                assertThat(run.exitCode()).as(run.err()).isZero();
                // serve, on the same clock, may send some of what is due at 14:05 itself: count what went out
                Map<String, Integer> sent = settledSends(database);
                assertThat(sent.get("email")).as(run.out()).isPositive();
                assertThat(sent.get("sms")).isPositive();

                HttpResponse<String> mailJson = get(port, "/dev/mail?format=json");
                assertThat(mailJson.statusCode()).isEqualTo(200);
                JsonNode mails = JSON.readTree(mailJson.body());
                assertThat(mails.size()).isEqualTo(sent.get("email"));
                // recipients as a mail client shows them (Chloé C.), not as the header encodes them
                java.util.List<String> recipients = new java.util.ArrayList<>();
                mails.forEach(m -> recipients.add(m.get("to").asText()));
                assertThat(recipients).noneMatch(to -> to.contains("=?")).anyMatch(to -> to.matches(".*[^\\x00-\\x7F].*"));
                JsonNode first = mails.get(0);
                assertThat(first.get("raw").asText()).contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
                        .contains("multipart/alternative");

                HttpResponse<String> page = get(port, "/dev/mail");
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
                assertThat(page.body()).contains("Captured email").contains("href=\"/dev/mail/" + first.get("id").asText());

                HttpResponse<String> view = get(port, "/dev/mail/" + first.get("id").asText());
                assertThat(view.statusCode()).isEqualTo(200);
                assertThat(view.body()).contains("<iframe").contains("srcdoc=")
                        .contains("http://127.0.0.1:" + port + "/s/").contains("?score=10")
                        .contains("List-Unsubscribe");
                assertThat(get(port, "/dev/mail/" + first.get("id").asText() + "?format=raw").body())
                        .startsWith("Return-Path:").contains("\nDate: ").contains("Message-ID: <m");
                assertThat(get(port, "/dev/mail/999999999").statusCode()).isEqualTo(404);

                // the newcomer clicks a score in the captured email, says why, and the answer is stored
                java.util.regex.Matcher link = java.util.regex.Pattern.compile(
                        "(http://127\\.0\\.0\\.1:" + port + "/s/[A-Za-z0-9_-]+)\\?score=10").matcher(view.body());
                assertThat(link.find()).isTrue();
                HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
                        .followRedirects(HttpClient.Redirect.NEVER).build();
                HttpResponse<String> survey = browser.send(HttpRequest.newBuilder(URI.create(link.group(0))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(survey.body()).contains("value=\"10\" checked");
                String csrf = survey.body().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
                HttpResponse<String> why = followed(browser, browser.send(form(link.group(1), "step=score&score=10&csrf=" + csrf),
                        HttpResponse.BodyHandlers.ofString()), port);
                assertThat(why.body()).as("%s %s", why.statusCode(), why.headers().map()).contains("10 out of 10");
                HttpResponse<String> thanks = followed(browser, browser.send(form(link.group(1),
                        "step=comment&comment=Great+onboarding&csrf=" + csrf), HttpResponse.BodyHandlers.ofString()), port);
                assertThat(thanks.body()).contains("Thank you for your feedback").contains("Great onboarding");
                assertThat(database.dsl().fetchCount(io.surveycast.db.Tables.RESPONSE,
                        io.surveycast.db.Tables.RESPONSE.SCORE.eq((short) 10),
                        io.surveycast.db.Tables.RESPONSE.COMMENT.eq("Great onboarding"))).isEqualTo(1);

                JsonNode sms = JSON.readTree(get(port, "/dev/sms?format=json").body());
                assertThat(sms.size()).isEqualTo(sent.get("sms"));
                // the latest SMS may be a French contact's ("STOP pour ne plus recevoir de SMS")
                assertThat(sms.get(0).get("body").asText()).containsAnyOf("Reply STOP", "STOP pour").contains("/s/");
                assertThat(sms.get(0).get("to").asText()).startsWith("+");
                assertThat(get(port, "/dev/sms").body()).contains("Captured SMS").contains("Reply as the customer");

                // and answers an SMS as the customer would: the score is stored, the follow-up shows up
                String number = sms.get(0).get("to").asText();
                HttpResponse<String> replied = http.send(form("http://127.0.0.1:" + port + "/dev/sms/reply",
                        "from=" + java.net.URLEncoder.encode(number, java.nio.charset.StandardCharsets.UTF_8)
                                + "&body=9+-+great+support"), HttpResponse.BodyHandlers.ofString());
                assertThat(replied.statusCode()).as(replied.body()).isEqualTo(303);
                JsonNode after = JSON.readTree(get(port, "/dev/sms?format=json").body());
                assertThat(after.get(0).get("to").asText()).isEqualTo(number);
                assertThat(after.get(1).get("to").asText()).isEqualTo("from " + number);
                assertThat(database.dsl().fetchCount(io.surveycast.db.Tables.RESPONSE,
                        io.surveycast.db.Tables.RESPONSE.CHANNEL.eq("sms"), io.surveycast.db.Tables.RESPONSE.SCORE.eq((short) 9),
                        io.surveycast.db.Tables.RESPONSE.COMMENT.eq("great support"))).isEqualTo(1);
            } finally {
                serve.stop();
            }
        }
    }

    @Test
    void withARealMailServerThereAreNoDevPagesEvenForTheSandboxedSms() throws Exception {
        int port = freePort();
        String url = TestDatabase.freshUrl();
        Map<String, String> env = new HashMap<>();
        env.put("SURVEYCAST_HTTP_PORT", String.valueOf(port));
        env.put("SURVEYCAST_HTTP_HOST", "127.0.0.1");
        env.put("SURVEYCAST_SMTP_HOST", "mail.example.com");
        Settings settings = TestDatabase.settings(url, env);
        try (Database database = TestDatabase.open(url)) {
            Main serve = App.camel(settings, database, Clock.systemUTC());
            serve.start();
            try {
                HttpResponse<String> mail = get(port, "/dev/mail");
                assertThat(mail.statusCode()).isEqualTo(404);
                assertThat(mail.body()).contains("only in development mode");
                HttpResponse<String> sms = get(port, "/dev/sms?format=json");
                assertThat(sms.statusCode()).as("SMS is sandboxed, but a production serve shows it to nobody").isEqualTo(404);
                assertThat(get(port, "/dev/sms").statusCode()).isEqualTo(404);
                assertThat(http.send(form("http://127.0.0.1:" + port + "/dev/sms/reply", "from=%2B12125550123&body=STOP"),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as("nobody answers or opts out for others").isEqualTo(404);
            } finally {
                serve.stop();
            }
        }
    }

    @Test
    void inDevelopmentModeTheDevPagesAnswerOnlyThisMachineUnlessAllowed() throws Exception {
        java.net.InetAddress outside = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(n -> java.util.Collections.list(n.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(outside != null, "this machine has no non-loopback IPv4 address");
        for (boolean allowed : new boolean[] {false, true}) {
            int port = freePort();
            String url = TestDatabase.freshUrl();
            Map<String, String> env = new HashMap<>(Map.of("SURVEYCAST_HTTP_PORT", String.valueOf(port),
                    "SURVEYCAST_HTTP_HOST", "0.0.0.0"));
            if (allowed) {
                env.put("SURVEYCAST_DEV_PAGES_REMOTE", "true");
            }
            try (Database database = TestDatabase.open(url)) {
                Main serve = App.camel(TestDatabase.settings(url, env), database, Clock.systemUTC());
                serve.start();
                try {
                    String remote = "http://" + outside.getHostAddress() + ":" + port;
                    assertThat(get(port, "/dev/sms").statusCode()).as("from this machine").isEqualTo(200);
                    assertThat(get(port, "/dev/mail").statusCode()).as("from this machine").isEqualTo(200);
                    HttpResponse<String> proxied = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/dev/sms")).header("X-Forwarded-For", "203.0.113.9").build(), HttpResponse.BodyHandlers.ofString());
                    int expected = allowed ? 200 : 403;
                    assertThat(proxied.statusCode()).as("relayed by a local proxy, allowed=" + allowed).isEqualTo(expected);
                    for (String path : new String[] {"/dev/sms", "/dev/mail", "/dev/sms?format=json", "/dev/mail/1"}) {
                        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(remote + path)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(page.statusCode()).as(path + " from " + outside + ", allowed=" + allowed)
                                .isEqualTo(allowed && path.equals("/dev/mail/1") ? 404 : expected);
                    }
                    HttpResponse<String> reply = http.send(form(remote + "/dev/sms/reply", "from=%2B12125550123&body=STOP"),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(reply.statusCode()).isEqualTo(allowed ? 303 : 403);
                } finally {
                    serve.stop();
                }
            }
        }
    }

    /** Messages sent per channel, once two readings a second apart agree (nothing still going out). */
    private static Map<String, Integer> settledSends(Database database) throws InterruptedException {
        Map<String, Integer> last = Map.of();
        for (int i = 0; i < 60; i++) {
            Map<String, Integer> now = new HashMap<>();
            for (String channel : new String[] {"email", "sms"}) {
                now.put(channel, database.dsl().fetchCount(io.surveycast.db.Tables.MESSAGE,
                        io.surveycast.db.Tables.MESSAGE.CHANNEL.eq(channel), io.surveycast.db.Tables.MESSAGE.SENT_AT.isNotNull()));
            }
            if (now.equals(last)) {
                return now;
            }
            last = now;
            Thread.sleep(1000);
        }
        return last;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The page a browser shows after a 303 (Java's client keeps the form's Content-Type on the GET, browsers do not). */
    private static HttpResponse<String> followed(HttpClient browser, HttpResponse<String> posted, int port) throws Exception {
        assertThat(posted.statusCode()).isEqualTo(303);
        String location = posted.headers().firstValue("Location").orElseThrow();
        return browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + location)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest form(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
