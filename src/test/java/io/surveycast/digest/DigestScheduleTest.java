package io.surveycast.digest;

import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.NOTIFICATION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.surveycast.config.Settings;
import io.surveycast.response.ResponseNotices;
import io.surveycast.response.Responses;
import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.HookReceiver;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17.1's acceptance: a simulated fortnight with {@code run-due} sends each weekly digest once
 * per period to every recipient (GreenMail, and a local Slack stub that checks the Block Kit), with
 * the figures {@code report} gives for the same days and filter; {@code digests preview} prints the
 * text part that was sent.
 */
class DigestScheduleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    @TempDir
    Path dir;
    GreenMail smtp;
    HookReceiver slack;

    @BeforeEach
    void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        slack = new HookReceiver();
    }

    @AfterEach
    void stop() {
        slack.close();
        smtp.stop();
    }

    private Settings settings(Map<String, String> more) {
        Map<String, String> env = new LinkedHashMap<>(Map.of("SURVEYCAST_SMTP_HOST", "127.0.0.1",
                "SURVEYCAST_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()), "SURVEYCAST_SMTP_TLS", "none",
                "SURVEYCAST_MAIL_FROM", "Acme Surveys <surveys@acme.example>",
                "SURVEYCAST_WEBHOOK_ALLOW_PRIVATE", "true", "SURVEYCAST_PUBLIC_URL", "https://nps.acme.example"));
        env.putAll(more);
        return db.settings(env);
    }

    private CliRun ok(Settings settings, String... args) {
        CliRun run = CliRun.run(settings, args);
        assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run;
    }

    @Test
    void aSimulatedFortnightSendsEachWeeklyDigestOnceToEveryRecipientWithTheReportsFigures() throws Exception {
        Settings settings = settings(Map.of());
        ok(settings, "campaigns", "apply", "campaigns");
        ok(settings, "contacts", "import", "docs/examples/contacts.csv");
        Path digests = Files.writeString(dir.resolve("digests.yaml"), """
                digest: weekly-all
                cron: "0 0 8 ? * MON"
                timezone: Europe/Paris
                to:
                  - ceo@acme.example
                  - cs@acme.example
                  - %s
                ---
                digest: weekly-enterprise
                cron: "0 0 8 ? * MON"
                timezone: Europe/Paris
                period: P7D
                filter: {campaign: quarterly-nps, attributes: {plan: [enterprise]}}
                to: [vp@acme.example]
                """.formatted(slack.url("/slack")));
        assertThat(ok(settings, "digests", "apply", digests.toString()).outLines())
                .containsExactly("created weekly-all", "created weekly-enterprise");

        // the quarterly wave's first week, then answers to every invitation sent (before the first digest)
        ok(settings, "run-due", "--at", "2027-04-06T14:00:00Z", "--until", "2027-04-11T14:00:00Z", "--step", "PT12H");
        answerEverything(Instant.parse("2027-04-11T18:00:00Z"));
        ok(settings, "run-due", "--at", "2027-04-12T02:00:00Z", "--until", "2027-04-20T14:00:00Z", "--step", "PT12H");
        // a second run over both Mondays finds every period sent already
        ok(settings, "run-due", "--at", "2027-04-12T08:00:00Z", "--until", "2027-04-19T20:00:00Z", "--step", "P7D");

        Map<String, List<MimeMessage>> digestMails = new LinkedHashMap<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (m.getSubject().startsWith("weekly-")) {
                digestMails.computeIfAbsent(m.getAllRecipients()[0].toString(), k -> new ArrayList<>()).add(m);
            }
        }
        assertThat(digestMails.keySet()).containsExactlyInAnyOrder("ceo@acme.example", "cs@acme.example", "vp@acme.example");
        assertThat(digestMails.values()).allSatisfy(mails -> assertThat(mails).as("two Mondays, one digest each").hasSize(2));

        String[][] periods = {{"2027-04-05", "2027-04-11"}, {"2027-04-12", "2027-04-18"}};
        for (int week = 0; week < 2; week++) {
            String from = periods[week][0];
            String to = periods[week][1];
            MimeMessage all = digestMails.get("ceo@acme.example").stream()
                    .filter(m -> subject(m).endsWith(from + " to " + to)).findFirst().orElseThrow();
            MimeMessage enterprise = digestMails.get("vp@acme.example").stream()
                    .filter(m -> subject(m).endsWith(from + " to " + to)).findFirst().orElseThrow();
            JsonNode report = report(settings, "--from", from, "--to", to);
            JsonNode reportEnterprise = report(settings, "--from", from, "--to", to, "--campaign", "quarterly-nps",
                    "--where", "attr:plan=enterprise");
            // dated when run-due sent it: the step after Monday 08:00 Paris, not the process clock
            Instant sent = LocalDate.parse(to).plusDays(1).atTime(14, 0).toInstant(ZoneOffset.UTC);
            assertThat(all.getSentDate().toInstant()).as("Date: of the digest for " + to).isEqualTo(sent);
            assertThat(enterprise.getSentDate().toInstant()).isEqualTo(sent);
            assertThat(part(all, "text/plain")).as("a text part").isNotNull();
            assertThat(part(all, "text/html")).as("an HTML part").isNotNull();
            assertThat(all.getContentType()).startsWith("multipart/");
            assertFigures(part(all, "text/plain"), report);
            assertFigures(part(enterprise, "text/plain"), reportEnterprise);
            String html = part(all, "text/html");
            assertThat(html).doesNotContainIgnoringCase("<script").doesNotContain("<style")
                    .contains("style=\"").contains(number(report.get("nps")));
        }
        JsonNode firstWeek = report(settings, "--from", "2027-04-05", "--to", "2027-04-11");
        assertThat(firstWeek.get("responded").asLong()).as("the first week has answers").isGreaterThan(20);
        String firstText = part(digestMails.get("ceo@acme.example").stream()
                .filter(m -> subject(m).endsWith("2027-04-05 to 2027-04-11")).findFirst().orElseThrow(), "text/plain");
        assertThat(firstText).contains("Recent comments:").contains("https://nps.acme.example/responses/");
        List<String> shownScores = new ArrayList<>();
        Matcher comment = Pattern.compile("(?m)^- (\\d+)/10 ").matcher(firstText);
        while (comment.find()) {
            shownScores.add(comment.group(1));
        }
        assertThat(shownScores).as("five comments, detractors first").hasSize(5)
                .allSatisfy(s -> assertThat(Integer.parseInt(s)).isLessThanOrEqualTo(6));

        // the same text as `digests preview` on the day it was sent
        CliRun preview = ok(settings(Map.of("SURVEYCAST_CLOCK", "fixed:2027-04-12T09:00:00Z")), "digests", "preview", "weekly-all");
        assertThat(preview.out()).isEqualToNormalizingNewlines(firstText);

        // Slack: one Block Kit message a week
        var posts = slack.received("/slack");
        assertThat(posts).hasSize(2);
        for (var post : posts) {
            JsonNode body = JSON.readTree(post.body());
            assertThat(body.get("text").asText()).startsWith("weekly-all: NPS ");
            JsonNode blocks = body.get("blocks");
            assertThat(blocks.isArray()).isTrue();
            List<String> types = new ArrayList<>();
            blocks.forEach(b -> types.add(b.get("type").asText()));
            assertThat(types.get(0)).isEqualTo("header");
            assertThat(types).contains("section").endsWith("context");
            assertThat(blocks.get(0).get("text").get("type").asText()).isEqualTo("plain_text");
            JsonNode fields = blocks.get(1).get("fields");
            assertThat(fields.size()).isBetween(1, 10);
            fields.forEach(f -> assertThat(f.get("type").asText()).isEqualTo("mrkdwn"));
            blocks.forEach(b -> b.findValues("text").forEach(t -> {
                if (t.isObject()) {
                    assertThat(t.get("text").asText()).isNotBlank().hasSizeLessThanOrEqualTo(3000);
                }
            }));
            assertThat(blocks.get(blocks.size() - 1).get("elements").get(0).get("type").asText()).isEqualTo("mrkdwn");
        }
        JsonNode firstPost = JSON.readTree(posts.stream().filter(p -> p.body().contains("2027-04-05 to 2027-04-11"))
                .findFirst().orElseThrow().body());
        assertThat(firstPost.get("blocks").get(1).get("fields").get(0).get("text").asText())
                .isEqualTo("*NPS*\n" + number(firstWeek.get("nps")));
        assertThat(db.dsl().fetchCount(NOTIFICATION, NOTIFICATION.EVENT.eq("digest"))).as("2 weeks x 4 recipients").isEqualTo(8);
    }

    /** Each figure of the digest's text equals the report's (one decimal, as the report table writes it). */
    private static void assertFigures(String text, JsonNode report) {
        assertThat(text).contains("NPS: " + number(report.get("nps")));
        assertThat(text).contains("Responses: " + report.get("responded").asLong() + " of " + report.get("delivered").asLong()
                + " delivered (response rate " + percent(report.get("response_rate")) + ")");
        assertThat(text).contains("Margin of error: " + (report.get("margin_of_error").isNull() ? "-"
                : "± " + number(report.get("margin_of_error"))));
        assertThat(text).contains("Promoters " + percent(report.get("promoters")) + ", passives "
                + percent(report.get("passives")) + ", detractors " + percent(report.get("detractors")));
    }

    private JsonNode report(Settings settings, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("report", "--format", "json"));
        args.addAll(Arrays.asList(options));
        JsonNode rows = JSON.readTree(ok(settings, args.toArray(String[]::new)).out());
        if (rows.isEmpty()) {
            return JSON.readTree("{\"nps\": null, \"responded\": 0, \"delivered\": 0, \"response_rate\": null, "
                    + "\"margin_of_error\": null, \"promoters\": null, \"passives\": null, \"detractors\": null}");
        }
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static String number(JsonNode value) {
        return value == null || value.isNull() ? "-" : String.format(Locale.ROOT, "%.1f", value.asDouble());
    }

    private static String percent(JsonNode value) {
        return value == null || value.isNull() ? "-" : number(value) + "%";
    }

    /** Every invitation sent so far answered, scores 0-10 in turn, most with a comment. */
    private void answerEverything(Instant at) {
        Responses responses = new Responses(db.dsl(), Clock.fixed(at, ZoneOffset.UTC),
                new ResponseNotices(List.of(), Duration.ZERO, "https://nps.acme.example"));
        List<Long> sent = db.dsl().select(INVITATION.ID).from(INVITATION).where(INVITATION.SENT_AT.isNotNull())
                .orderBy(INVITATION.ID).fetch(INVITATION.ID);
        for (int i = 0; i < sent.size(); i++) {
            int score = (i * 7) % 11;
            responses.answer(sent.get(i), score, i % 3 == 2 ? null : "comment " + i + " scored " + score, "email")
                    .orElseThrow();
        }
    }

    static String subjectOf(MimeMessage m) {
        return subject(m);
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text of the message's part of that type (multipart/alternative or nested). */
    static String part(Part part, String type) throws Exception {
        if (part.isMimeType(type)) {
            return part.getContent().toString();
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                String found = part(child, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
