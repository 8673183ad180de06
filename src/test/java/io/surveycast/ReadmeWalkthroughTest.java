package io.surveycast;

import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.reader.CsvReader;
import io.surveycast.config.ClockFactory;
import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import io.surveycast.support.CliRun;
import io.surveycast.support.TestDatabase;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * The README's development walkthrough, run exactly as written (the block after
 * {@code <!-- walkthrough -->}): its commands in order, {@code serve} in this JVM, the others
 * through the command line with the block's environment. Then a newcomer answers an email and an
 * SMS, and the dashboard, {@code report} and the export must agree with the invitations: no answer
 * before its invite, no negative time to answer, the answers counted in the last 90 days.
 */
class ReadmeWalkthroughTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String JAR = "java -jar target/surveycast.jar ";

    @Test
    void theDevelopmentWalkthroughLeavesTheDashboardReportAndExportConsistent() throws Exception {
        List<String> lines = walkthrough();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(Map.of("SURVEYCAST_HTTP_PORT", Integer.toString(port),
                "SURVEYCAST_HTTP_HOST", "127.0.0.1", "SURVEYCAST_DUE_SCAN_INTERVAL", "PT1H"));
        String url = TestDatabase.freshUrl();
        Main serve = null;
        Map<String, CliRun> runs = new HashMap<>();
        try (Database database = TestDatabase.open(url)) {
            for (String line : lines) {
                Matcher export = Pattern.compile("export (\\w+)=(\\S+)").matcher(line);
                if (export.matches()) {
                    env.put(export.group(1), export.group(2));
                    continue;
                }
                assertThat(line).as("a walkthrough line").startsWith(JAR);
                String[] args = line.substring(JAR.length()).replaceFirst("\\s*&$", "").trim().split("\\s+");
                Settings settings = TestDatabase.settings(url, env);
                if (args[0].equals("serve")) {
                    serve = App.camel(settings, database, ClockFactory.fromSettings(settings));
                    serve.start();
                    continue;
                }
                if (args[0].equals("report") || args[0].equals("responses")) {
                    continue; // after answering, below
                }
                CliRun run = CliRun.run(settings, args);
                assertThat(run.exitCode()).as(line + "\n" + run.err()).isZero();
                runs.put(args[0], run);
            }
            assertThat(serve).as("the walkthrough starts serve").isNotNull();
            Settings settings = TestDatabase.settings(url, env);
            Instant now = ClockFactory.fromSettings(settings).instant();
            String base = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).cookieHandler(new java.net.CookieManager()).build();

            // answer the first captured email as its recipient: a detractor with a comment
            JsonNode mails = JSON.readTree(get(http, base + "/dev/mail?format=json").body());
            assertThat(mails.size()).as("the walkthrough sent email").isPositive();
            Matcher link = Pattern.compile("/s/([A-Za-z0-9_-]+)\\?score=3").matcher(mails.get(0).get("raw").asText());
            assertThat(link.find()).isTrue();
            String survey = base + "/s/" + link.group(1);
            String page = get(http, survey + "?score=3").body();
            String csrf = page.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
            HttpResponse<String> scored = post(http, survey, "step=score&score=3&csrf=" + csrf, base);
            assertThat(scored.statusCode()).as(scored.body()).isEqualTo(303);
            assertThat(post(http, survey, "step=comment&comment=slow+support&csrf=" + csrf, base).statusCode()).isEqualTo(303);
            // and an SMS, as the customer would reply
            JsonNode sms = JSON.readTree(get(http, base + "/dev/sms?format=json").body());
            assertThat(sms.size()).as("the walkthrough sent SMS").isPositive();
            assertThat(post(http, base + "/dev/sms/reply", "from=" + URLEncoder.encode(sms.get(0).get("to").asText(),
                    StandardCharsets.UTF_8) + "&body=9+-+great+support", base).statusCode()).isEqualTo(303);

            var dsl = database.dsl();
            assertThat(dsl.fetchCount(RESPONSE)).isEqualTo(2);
            assertThat(dsl.fetchCount(RESPONSE.join(INVITATION).on(INVITATION.ID.eq(RESPONSE.INVITATION_ID)),
                    RESPONSE.RECEIVED_AT.lt(INVITATION.SENT_AT))).as("answers before their invite").isZero();
            assertThat(dsl.fetchCount(INVITATION, INVITATION.SENT_AT.gt(now.atOffset(java.time.ZoneOffset.UTC))))
                    .as("invites after the walkthrough's clock").isZero();

            // report: the median time to answer is never negative
            for (String line : lines) {
                if (!line.startsWith(JAR + "report") && !line.startsWith(JAR + "responses")) {
                    continue;
                }
                List<String> args = new ArrayList<>(List.of(line.substring(JAR.length()).trim().split("\\s+")));
                if (args.get(0).equals("report")) {
                    args.addAll(List.of("--format", "json"));
                    CliRun report = CliRun.run(settings, args.toArray(String[]::new));
                    assertThat(report.exitCode()).as(report.err()).isZero();
                    JsonNode rows = JSON.readTree(report.out());
                    rows = rows.isArray() ? rows : rows.path("rows");
                    assertThat(rows.size()).isPositive();
                    int answered = 0;
                    for (JsonNode row : rows) {
                        JsonNode median = row.path("median_hours_to_respond");
                        if (median.isNumber()) {
                            assertThat(median.asDouble()).as(row.toString()).isNotNegative();
                            answered++;
                        }
                    }
                    assertThat(answered).isPositive();
                } else {
                    CliRun export = CliRun.run(settings, args.toArray(String[]::new));
                    assertThat(export.exitCode()).as(export.err()).isZero();
                    var records = CsvReader.builder().ofCsvRecord(export.out()).stream().toList();
                    List<String> header = records.get(0).getFields();
                    assertThat(records).hasSize(3);
                    for (var r : records.subList(1, records.size())) {
                        Instant received = OffsetDateTime.parse(r.getField(header.indexOf("received_at"))).toInstant();
                        Instant invited = OffsetDateTime.parse(r.getField(header.indexOf("invited_at"))).toInstant();
                        assertThat(received).as("export: answered after invited").isAfterOrEqualTo(invited)
                                .isBeforeOrEqualTo(now);
                    }
                }
            }

            // the dashboard, signed in with the token the walkthrough made, counts both answers
            String token = runs.get("users").outLines().get(0).strip();
            assertThat(post(http, base + "/login", "token=" + token, base).statusCode()).isEqualTo(303);
            String overview = get(http, base + "/").body();
            assertThat(overview).containsPattern("Responses, last 90 days</div><div class=\"value\">2<");
        } finally {
            if (serve != null) {
                serve.stop();
            }
        }
    }

    /** The README's walkthrough block: its commands, without comments. */
    static List<String> walkthrough() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("<!-- walkthrough -->");
        assertThat(start).as("README has the walkthrough block").isPositive();
        int open = readme.indexOf("```sh\n", start) + 6;
        String block = readme.substring(open, readme.indexOf("```", open));
        List<String> lines = new ArrayList<>();
        for (String line : block.split("\n")) {
            String command = line.replaceFirst("\\s+#.*$", "").replaceFirst("^#.*$", "").trim();
            if (!command.isEmpty()) {
                lines.add(command);
            }
        }
        return lines;
    }

    static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(HttpClient http, String url, String form, String origin) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", origin).POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
