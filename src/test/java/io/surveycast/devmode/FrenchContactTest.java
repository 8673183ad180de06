package io.surveycast.devmode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.App;
import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import io.surveycast.support.CliRun;
import io.surveycast.support.TestDatabase;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * French contacts are asked in French from end to end: the email's subject and text (through the
 * development mode's GreenMail), a reminder's subject, the SMS (sandbox) and the survey page; a
 * Canadian French contact falls back to French, a German one to the default.
 */
class FrenchContactTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EN = "How likely are you to recommend Acme to a friend?";
    private static final String FR = "Quelle est la probabilité que vous recommandiez Acme à un ami ?";
    private static final String FR_SUBJECT = "Votre avis sur Acme";

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void frenchContactsGetTheFrenchQuestionAndSubjectEverywhere() throws Exception {
        Files.writeString(dir.resolve("welcome.yaml"), """
                key: welcome
                name: Welcome
                trigger: {type: onboarding, offset: P1D}
                channels: [email, sms]
                question:
                  en: %s
                  fr: %s
                subject: {en: Your opinion of Acme, fr: %s}
                templates: {email: nps-invite, sms: nps-invite}
                reminders:
                  - {after: P1D, channel: email}
                  - {after: P2D, channel: sms, template: nps-reminder}
                """.formatted(EN, FR, FR_SUBJECT));
        Files.writeString(dir.resolve("contacts.csv"), """
                external_id,email,phone,locale,timezone,onboarded_at
                fr-ca,camille@example.com,,fr-CA,America/Montreal,2027-03-01T15:00:00Z
                fr-sms,,+33612345678,fr,Europe/Paris,2027-03-01T15:00:00Z
                en,ann@example.com,,en,Europe/London,2027-03-01T15:00:00Z
                de,dieter@example.com,,de,Europe/Berlin,2027-03-01T15:00:00Z
                """);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = TestDatabase.freshUrl();
        Settings settings = TestDatabase.settings(url, Map.of("SURVEYCAST_HTTP_PORT", String.valueOf(port),
                "SURVEYCAST_HTTP_HOST", "127.0.0.1", "SURVEYCAST_PUBLIC_URL", "http://127.0.0.1:" + port));
        try (Database database = TestDatabase.open(url)) {
            Main serve = App.camel(settings, database, Clock.systemUTC());
            serve.start();
            try {
                assertThat(CliRun.run(settings, "campaigns", "apply", dir.resolve("welcome.yaml").toString()).exitCode())
                        .isZero();
                assertThat(CliRun.run(settings, "contacts", "import", dir.resolve("contacts.csv").toString()).exitCode())
                        .isZero();
                CliRun run = CliRun.run(settings, "run-due", "--at", "2027-03-02T15:00:00Z", "--until",
                        "2027-03-05T15:00:00Z", "--step", "PT6H");
                assertThat(run.exitCode()).as(run.err()).isZero();

                Map<String, List<MimeMessage>> mail = new HashMap<>();
                for (JsonNode captured : JSON.readTree(get(port, "/dev/mail?format=json").body())) {
                    MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                            new ByteArrayInputStream(captured.get("raw").asText().getBytes(StandardCharsets.UTF_8)));
                    mail.computeIfAbsent(message.getAllRecipients()[0].toString(), k -> new java.util.ArrayList<>())
                            .add(message);
                }
                // newest first: the invite last
                mail.values().forEach(java.util.Collections::reverse);
                List<MimeMessage> camille = mail.get("camille@example.com");
                assertThat(camille).extracting(MimeMessage::getSubject)
                        .containsExactlyInAnyOrder(FR_SUBJECT, "Rappel : " + FR_SUBJECT);
                assertThat(text(camille.get(0))).contains("Bonjour").contains(FR).doesNotContain(EN);
                assertThat(mail.get("ann@example.com")).extracting(MimeMessage::getSubject)
                        .containsExactlyInAnyOrder("Your opinion of Acme", "Reminder: Your opinion of Acme");
                assertThat(text(mail.get("ann@example.com").get(0))).contains(EN);
                assertThat(text(mail.get("dieter@example.com").get(0))).as("no German: the first listed").contains(EN);

                JsonNode sms = JSON.readTree(get(port, "/dev/sms?format=json").body());
                assertThat(sms).hasSize(2); // the invite and the reminder
                for (JsonNode text : sms) {
                    assertThat(text.get("to").asText()).isEqualTo("+33612345678");
                    assertThat(text.get("body").asText()).contains(FR).contains("STOP pour ne plus recevoir")
                            .doesNotContain(EN);
                }

                Matcher link = Pattern.compile("http://127\\.0\\.0\\.1:" + port + "/s/[A-Za-z0-9_-]+")
                        .matcher(text(camille.get(0)));
                assertThat(link.find()).isTrue();
                String page = http.send(HttpRequest.newBuilder(URI.create(link.group())).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(page).contains("lang=\"fr-CA\"").contains(FR).doesNotContain(EN);
            } finally {
                serve.stop();
            }
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The text/plain part of a message. */
    private static String text(Part part) throws Exception {
        if (part.isMimeType("text/plain")) {
            return (String) part.getContent();
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String text = text(multipart.getBodyPart(i));
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }
}
