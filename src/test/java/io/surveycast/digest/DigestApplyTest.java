package io.surveycast.digest;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code digests apply}: every error of every file as FILE:LINE: FIELD: reason, exit 2, nothing applied; then list. */
class DigestApplyTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    @TempDir
    Path dir;

    @Test
    void badFilesAreRefusedWholeWithEveryErrorByLineAndField() throws Exception {
        assertThat(CliRun.run(db.settings(), "campaigns", "apply", "campaigns").exitCode()).isZero();
        Path good = Files.writeString(dir.resolve("a-good.yaml"), """
                digest: weekly-leadership
                cron: "0 0 8 ? * MON"
                timezone: Europe/Paris
                period: P7D
                filter: {campaign: quarterly-nps, attributes: {plan: [enterprise]}}
                to:
                  - ceo@acme.example
                  - https://hooks.slack.com/services/T000/B000/XXXX
                """);
        Path bad = Files.writeString(dir.resolve("b-bad.yaml"), """
                digest: Weekly Leadership
                cron: "0 0 8 * * MON"
                timezone: Europe/Pariss
                period: PT12H
                filter: {campaign: no-such-campaign, region: emea}
                to:
                  - not-an-address
                  - http://169.254.169.254/latest/meta-data
                  - ftp://files.acme.example/x
                ---
                digest: monthly
                cron: "0 0 8 1 * ?"
                colour: blue
                """);
        CliRun refused = CliRun.run(db.settings(), "digests", "apply", good.toString(), bad.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.out()).isEmpty();
        String b = bad.toString();
        assertThat(refused.errLines()).containsExactly(
                b + ":1: digest: use lower-case letters, digits and dashes, at most 63 (e.g. weekly-leadership): Weekly Leadership",
                b + ":2: cron: not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week, "
                        + "e.g. \"0 0 8 ? * MON\"): Support for specifying both a day-of-week AND a day-of-month parameter is not implemented.",
                b + ":3: timezone: not an IANA time zone (e.g. Europe/Paris): Europe/Pariss",
                b + ":4: period: not an ISO-8601 period of days, weeks or months (e.g. P7D, P2W, P1M): PT12H",
                b + ":5: filter.region: unknown field (expected one of campaign, attributes)",
                b + ":5: filter.campaign: no campaign no-such-campaign (apply the campaign first)",
                b + ":7: to[1]: not an email address or an http(s) webhook URL: not-an-address",
                b + ":8: to[2]: 169.254.169.254 is a link-local address (169.254.169.254); "
                        + "set SURVEYCAST_WEBHOOK_ALLOW_PRIVATE=true to allow it: http://169.254.169.254/latest/meta-data",
                b + ":9: to[3]: not an email address or an http(s) webhook URL: ftp://files.acme.example/x",
                b + ":11: to: required",
                b + ":13: colour: unknown field (expected one of digest, cron, timezone, period, filter, to)");
        assertThat(CliRun.run(db.settings(), "digests", "list", "--format", "json").out().replaceAll("\\s", "")).isEqualTo("[]");

        CliRun applied = CliRun.run(db.settings(), "digests", "apply", good.toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.outLines()).containsExactly("created weekly-leadership");
        assertThat(CliRun.run(db.settings(), "digests", "apply", good.toString()).outLines())
                .containsExactly("unchanged weekly-leadership");
        CliRun list = CliRun.run(db.settings(), "digests", "list");
        assertThat(list.outLines()).hasSize(2);
        assertThat(list.outLines().get(1)).startsWith("weekly-leadership").contains("0 0 8 ? * MON", "Europe/Paris", "P7D",
                "quarterly-nps plan=enterprise");
        CliRun unknown = CliRun.run(db.settings(), "digests", "preview", "nosuch");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("digest nosuch: no such digest");
    }

    @Test
    void aDigestDefinedTwiceAndAFileHoldingNoneAreRefusedNamingBothPlaces() throws Exception {
        String weekly = """
                digest: weekly
                cron: "0 0 8 ? * MON"
                timezone: UTC
                period: P7D
                to: [ceo@acme.example]
                """;
        Path first = Files.writeString(dir.resolve("a.yaml"), weekly);
        Path again = Files.writeString(dir.resolve("b.yaml"), weekly);
        Path none = Files.writeString(dir.resolve("c.yaml"), "# to come\n");

        CliRun refused = CliRun.run(db.settings(), "digests", "apply", first.toString(), again.toString(), none.toString());

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.errLines()).containsExactly(
                again + ":1: digest: digest weekly is also defined in " + first + ":1",
                none + ":1: digest: the file holds no digest");
        assertThat(CliRun.run(db.settings(), "digests", "list", "--format", "json").out().replaceAll("\\s", "")).isEqualTo("[]");
    }
}
