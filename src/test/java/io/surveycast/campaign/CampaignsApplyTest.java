package io.surveycast.campaign;

import static io.surveycast.db.Tables.AUDIT_LOG;
import static io.surveycast.db.Tables.CAMPAIGN;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CampaignsApplyTest {
    private static final Path EXAMPLES = Path.of("campaigns");
    private static final String VALID = """
            key: event-nps
            name: After support ticket
            trigger:
              type: event
              event: ticket-closed
              delay: PT2H
            channels: [email]
            question: How likely are you to recommend us?
            templates:
              email: nps-invite
            """;

    @TempDir
    Path dir;
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void examplesApplyAndListAndReapplyUnchanged() {
        CliRun apply = CliRun.run(db.settings(), "campaigns", "apply", EXAMPLES.toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.outLines()).containsExactly("created onboarding-nps", "created quarterly-nps", "created renewal-nps");

        CliRun list = CliRun.run(db.settings(), "campaigns", "list");
        assertThat(list.outLines()).hasSize(4);
        assertThat(list.out())
                .containsPattern("onboarding-nps +active +onboarding +email,sms +20 +Onboarding NPS")
                .containsPattern("quarterly-nps +active +recurring +email,sms +10")
                .containsPattern("renewal-nps +active +renewal +email,sms +30");

        CliRun again = CliRun.run(db.settings(), "campaigns", "apply", EXAMPLES.toString());
        assertThat(again.outLines()).containsExactly("unchanged onboarding-nps", "unchanged quarterly-nps", "unchanged renewal-nps");
        assertThat(db.dsl().fetchCount(AUDIT_LOG, AUDIT_LOG.ACTION.eq("campaign.created"))).isEqualTo(3);
    }

    @Test
    void changedFileIsUpdatedAndAudited() throws IOException {
        Path file = write("event.yaml", VALID);
        assertThat(CliRun.run(db.settings(), "campaigns", "apply", file.toString()).outLines()).containsExactly("created event-nps");

        Files.writeString(file, VALID.replace("PT2H", "PT3H"));
        CliRun run = CliRun.run(db.settings(), "campaigns", "apply", file.toString());

        assertThat(run.outLines()).containsExactly("updated event-nps");
        assertThat(db.dsl().fetchValue(CAMPAIGN.DEFINITION, CAMPAIGN.KEY.eq("event-nps")).data()).contains("\"PT3H\"");
        assertThat(db.dsl().fetchCount(AUDIT_LOG, AUDIT_LOG.ACTION.eq("campaign.updated")
                .and(AUDIT_LOG.ENTITY_KEY.eq("event-nps")))).isEqualTo(1);
    }

    @Test
    void dryRunReportsButChangesNothing() throws IOException {
        CliRun run = CliRun.run(db.settings(), "campaigns", "apply", "--dry-run", EXAMPLES.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly("created onboarding-nps", "created quarterly-nps", "created renewal-nps");
        assertThat(db.dsl().fetchCount(CAMPAIGN)).isZero();
        assertThat(db.dsl().fetchCount(AUDIT_LOG)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bad cron          | 'cron: \"0 0 10 ? * MOO\"'          | trigger.cron: not a valid Quartz cron expression
            unknown template  | 'email: nope'                        | templates.email: template nope not found
            unknown channel   | 'channels: [email, fax]'             | channels: unknown channel fax
            negative delay    | 'delay: -PT2H'                       | trigger.delay: must not be negative
            looser fatigue    | 'min-days-between-surveys: 30'       | fatigue.min-days-between-surveys: a campaign may only be stricter
            unknown field     | 'colour: blue'                       | colour: unknown field
            bad send window   | 'send-window: MON-FRI 18:00-09:00'   | send-window: the window must close after it opens
            bad time zone     | 'timezone: Mars/Base'                | timezone: not an IANA time zone
            late reminder     | 'after: P30D'                        | reminders[1].after: comes after the invitation expires
            bad sample        | 'sample: 1.5'                        | audience.sample: must be a fraction
            missing question  | 'question: '                         | question: must not be empty
            """)
    void eachKindOfInvalidFileExits2WithFileLineAndFieldAndAppliesNothing(String name, String change, String expected)
            throws IOException {
        Path good = write("a-good.yaml", VALID);
        Path bad = write("bad.yaml", invalid(change));
        String before = snapshot();

        CliRun run = CliRun.run(db.settings(), "campaigns", "apply", good.toString(), bad.toString(), EXAMPLES.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.outLines()).isEmpty();
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines().get(0)).matches(java.util.regex.Pattern.quote(bad.toString()) + ":\\d+: .*")
                .contains(expected);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void errorsNameTheLineOfTheField() throws IOException {
        Path bad = write("bad.yaml", invalid("email: nope"));

        CliRun run = CliRun.run(db.settings(), "campaigns", "apply", bad.toString());

        assertThat(run.errLines()).containsExactly(bad + ":20: templates.email: template nope not found "
                + "(expected templates/email/nope.html)");
    }

    @Test
    void brokenYamlAndDuplicateKeysAreReported() throws IOException {
        Path broken = write("broken.yaml", "key: x\n  name: [\n");
        Path first = write("one.yaml", VALID);
        Path second = write("two.yaml", VALID);

        CliRun run = CliRun.run(db.settings(), "campaigns", "apply", broken.toString(), first.toString(), second.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(
                broken + ":2: yaml: mapping values are not allowed here",
                second + ":1: key: campaign event-nps is also defined in " + first + ":1");
        assertThat(db.dsl().fetchCount(CAMPAIGN)).isZero();
    }

    @Test
    void pauseAndResume() {
        CliRun.run(db.settings(), "campaigns", "apply", EXAMPLES.toString());

        assertThat(CliRun.run(db.settings(), "campaigns", "pause", "quarterly-nps").outLines()).containsExactly("paused quarterly-nps");
        assertThat(CliRun.run(db.settings(), "campaigns", "pause", "quarterly-nps").outLines()).containsExactly("unchanged quarterly-nps");
        assertThat(db.dsl().fetchValue(CAMPAIGN.STATUS, CAMPAIGN.KEY.eq("quarterly-nps"))).isEqualTo("paused");
        // re-applying a file without a status keeps the pause
        CliRun.run(db.settings(), "campaigns", "apply", EXAMPLES.toString());
        assertThat(db.dsl().fetchValue(CAMPAIGN.STATUS, CAMPAIGN.KEY.eq("quarterly-nps"))).isEqualTo("paused");

        assertThat(CliRun.run(db.settings(), "campaigns", "resume", "quarterly-nps").outLines()).containsExactly("resumed quarterly-nps");
        assertThat(db.dsl().fetchValue(CAMPAIGN.STATUS, CAMPAIGN.KEY.eq("quarterly-nps"))).isEqualTo("active");

        CliRun unknown = CliRun.run(db.settings(), "campaigns", "pause", "nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("campaign nope: no such campaign");
    }

    /** A full campaign with one line changed (matched by its key). */
    private static String invalid(String change) {
        String full = """
                key: broken-nps
                name: Broken
                trigger:
                  type: event
                  event: signup
                  delay: PT1H
                audience:
                  match:
                    plan: [pro]
                  sample: 0.5
                channels: [email, sms]
                question: How likely?
                expires-after: P14D
                send-window: MON-FRI 09:00-17:00
                timezone: Europe/Paris
                reminders:
                  - after: P3D
                    channel: email
                templates:
                  email: nps-invite
                  sms: nps-invite
                fatigue:
                  min-days-between-surveys: 120
                """;
        if (change.startsWith("cron:")) {
            full = full.replace("  type: event\n  event: signup\n  delay: PT1H\n", "  type: recurring\n  cron: x\n");
        }
        String key = change.substring(0, change.indexOf(':') + 1);
        if (!full.contains(" " + key) && !full.contains("\n" + key)) {
            return full + change + "\n";
        }
        StringBuilder out = new StringBuilder();
        for (String line : full.split("\n")) {
            String trimmed = line.strip();
            String bare = trimmed.startsWith("- ") ? trimmed.substring(2) : trimmed;
            out.append(bare.startsWith(key) ? line.substring(0, line.indexOf(bare)) + change : line).append('\n');
        }
        return out.toString();
    }

    private String snapshot() {
        return db.dsl().selectFrom(CAMPAIGN).orderBy(CAMPAIGN.ID).fetch().formatCSV()
                + db.dsl().selectFrom(AUDIT_LOG).orderBy(AUDIT_LOG.ID).fetch().formatCSV();
    }

    @Test
    void deepOrHugeYamlIsAnInputErrorNotACrash() throws IOException {
        Path deep = write("deep.yaml", "key: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n");
        Path manyDocuments = write("many.yaml", "---\n".repeat(95_000));
        Path manyErrors = write("errors.yaml", "---\nkey: x\n".repeat(500));
        Path nul = write("nul.yaml", VALID.replace("question: How likely are you to recommend us?",
                "question: \"How \\0 likely?\""));
        Path huge = write("huge.yaml", VALID + "# " + "x".repeat(2 << 20) + "\n");

        CliRun deepRun = CliRun.run(db.settings(), "campaigns", "apply", deep.toString());
        CliRun manyRun = CliRun.run(db.settings(), "campaigns", "apply", manyDocuments.toString());
        CliRun errorsRun = CliRun.run(db.settings(), "campaigns", "apply", manyErrors.toString());
        CliRun nulRun = CliRun.run(db.settings(), "campaigns", "apply", nul.toString());
        CliRun hugeRun = CliRun.run(db.settings(), "campaigns", "apply", huge.toString());

        assertThat(deepRun.exitCode()).isEqualTo(2);
        assertThat(deepRun.errLines()).containsExactly(deep + ":1: yaml: nested deeper than 20 levels");
        assertThat(manyRun.exitCode()).isEqualTo(2);
        assertThat(manyRun.errLines()).containsExactly(manyDocuments + ":1001: yaml: more than 1000 documents; split the campaigns into files");
        assertThat(errorsRun.exitCode()).isEqualTo(2);
        assertThat(errorsRun.errLines()).hasSize(101);
        assertThat(errorsRun.errLines().get(100)).matches(java.util.regex.Pattern.quote(manyErrors.toString())
                + ": [0-9]{3,} more errors not shown");
        assertThat(nulRun.exitCode()).isEqualTo(2);
        assertThat(nulRun.errLines()).containsExactly(nul + ":8: question: contains a NUL character");
        assertThat(hugeRun.exitCode()).isEqualTo(2);
        assertThat(hugeRun.err()).contains(huge + ":1: yaml: larger than 1048576 characters");
        assertThat(db.dsl().fetchCount(io.surveycast.db.Tables.CAMPAIGN)).isZero();
    }

    @Test
    void alertWebhooksToPrivateAddressesAreRefusedUnlessAllowed() throws IOException {
        String[] urls = {"http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:9/x", "http://localhost/x",
            "http://[::1]/x", "http://10.1.2.3/x", "http://192.168.0.10/x", "http://0.0.0.0/x", "http://[::ffff:127.0.0.1]/x"};
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < urls.length; i++) {
            yaml.append(i == 0 ? "" : "---\n").append(VALID.replace("key: event-nps", "key: event-" + i))
                    .append("alerts: {webhook: \"").append(urls[i]).append("\"}\n");
        }
        Path file = write("hooks.yaml", yaml.toString());

        CliRun refused = CliRun.run(db.settings(), "campaigns", "apply", file.toString());
        CliRun allowed = CliRun.run(db.settings(java.util.Map.of("SURVEYCAST_WEBHOOK_ALLOW_PRIVATE", "true")),
                "campaigns", "apply", file.toString());

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.errLines()).hasSize(urls.length).allSatisfy(line -> assertThat(line)
                .matches(java.util.regex.Pattern.quote(file.toString()) + ":[0-9]+: alerts\\.webhook: .* is an? .*address.*"));
        assertThat(refused.errLines().get(0)).isEqualTo(file + ":11: alerts.webhook: 169.254.169.254 is a link-local address"
                + " (169.254.169.254); set SURVEYCAST_WEBHOOK_ALLOW_PRIVATE=true to allow it");
        assertThat(allowed.exitCode()).as(allowed.err()).isZero();
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
