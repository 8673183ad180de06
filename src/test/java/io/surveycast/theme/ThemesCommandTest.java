package io.surveycast.theme;

import static io.surveycast.db.Tables.AUDIT_LOG;
import static io.surveycast.db.Tables.THEME;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code themes apply}, {@code themes list} and {@code themes retag} as a user runs them. */
class ThemesCommandTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase(Map.of("SURVEYCAST_CLOCK", "fixed:2027-01-05T10:00:00Z",
            "SURVEYCAST_THEMES_MODEL", "false"));
    @TempDir
    Path dir;

    static final String SECURITY = """
            key: security
            label: Security and privacy
            keywords:
              en: [security, privacy, gdpr, "two-factor"]
              fr: [sécurité, confidentialité, rgpd]
            examples:
              - I worry about where our data is stored
            """;

    @Test
    void listShowsTheDefaultSetFromTheFirstStart() {
        CliRun list = CliRun.run(db.settings(), "themes", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains("support", "pricing", "ease-of-use", "missing-features", "reliability",
                "product-quality", "onboarding");
        CliRun json = CliRun.run(db.settings(), "themes", "list", "--format", "json");
        assertThat(json.out()).contains("\"key\" : \"support\"", "\"en\" :", "\"fr\" :");
    }

    @Test
    void applyCreatesThenLeavesUnchangedThenUpdatesAndAudits() throws IOException {
        Path file = Files.writeString(dir.resolve("security.yaml"), SECURITY);
        CliRun created = CliRun.run(db.settings(), "themes", "apply", file.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.outLines()).contains("created security");
        assertThat(CliRun.run(db.settings(), "themes", "apply", file.toString()).outLines()).contains("unchanged security");
        Files.writeString(file, SECURITY.replace("gdpr,", "gdpr, sso,"));
        assertThat(CliRun.run(db.settings(), "themes", "apply", file.toString()).outLines()).contains("updated security");
        assertThat(db.dsl().fetchCount(AUDIT_LOG, AUDIT_LOG.ENTITY_KEY.eq("security"))).isEqualTo(2);
    }

    @Test
    void anyErrorAppliesNothingAndNamesFileLineAndField() throws IOException {
        Path good = Files.writeString(dir.resolve("a-good.yaml"), SECURITY);
        Path bad = Files.writeString(dir.resolve("b-bad.yaml"), """
                key: Billing Stuff
                label: Billing
                keywords:
                  english: [invoice]
                  fr: ["!!"]
                colour: red
                """);
        CliRun run = CliRun.run(db.settings(), "themes", "apply", dir.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).contains(
                bad + ":1: key: use lower-case letters, digits and dashes (e.g. ease-of-use)",
                bad + ":4: keywords.english: not a language tag (e.g. en, fr, fr-CA)",
                bad + ":5: keywords.fr: keyword \"!!\" has no word in it",
                bad + ":6: colour: unknown field (expected one of key, label, keywords, examples)");
        assertThat(db.dsl().fetchCount(THEME, THEME.KEY.eq("security"))).isZero();
        assertThat(good).exists();
    }

    @Test
    void retagRefusesABadDate() {
        CliRun run = CliRun.run(db.settings(), "themes", "retag", "--since", "yesterday");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--since: yesterday: expected an ISO date such as 2027-01-01");
        CliRun ok = CliRun.run(db.settings(), "themes", "retag", "--since", "2027-01-01");
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).contains("tagged 0 comments");
    }
}
