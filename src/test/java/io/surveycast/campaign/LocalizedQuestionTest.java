package io.surveycast.campaign;

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

/** A campaign's question and email subject, as one text or one per language. */
class LocalizedQuestionTest {
    private static final String CAMPAIGN_YAML = """
            key: event-nps
            name: After support ticket
            trigger: {type: event, event: ticket-closed}
            channels: [email]
            QUESTION
            templates: {email: nps-invite}
            """;

    @TempDir
    Path dir;
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void aPlainQuestionIsStoredAsBefore() throws IOException {
        Path file = write("plain.yaml", CAMPAIGN_YAML.replace("QUESTION", "question: How likely are you to recommend us?"));

        assertThat(CliRun.run(db.settings(), "campaigns", "apply", file.toString()).outLines())
                .containsExactly("created event-nps");

        // the JSON of a definition without translations is the one stored before they existed (same hash: unchanged)
        String stored = db.dsl().fetchValue(CAMPAIGN.DEFINITION, CAMPAIGN.KEY.eq("event-nps")).data();
        assertThat(stored).contains("\"question\": \"How likely are you to recommend us?\"").doesNotContain("subject");
        CampaignDefinition definition = CampaignDefinition.stored(stored);
        assertThat(definition.question().in("fr")).isEqualTo("How likely are you to recommend us?");
        assertThat(definition.subject()).isNull();
    }

    @Test
    void aQuestionPerLanguageFallsBackLikeTemplates() throws IOException {
        Path file = write("fr.yaml", CAMPAIGN_YAML.replace("QUESTION", """
                question:
                  en: How likely are you to recommend us?
                  fr: Quelle est la probabilité que vous nous recommandiez ?
                  pt_BR: Qual a probabilidade de você nos recomendar?
                subject: {default: Your opinion, fr: Votre avis}"""));

        CliRun run = CliRun.run(db.settings(), "campaigns", "apply", file.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        CampaignDefinition d = CampaignDefinition.stored(
                db.dsl().fetchValue(CAMPAIGN.DEFINITION, CAMPAIGN.KEY.eq("event-nps")).data());

        assertThat(d.question().in("fr-CA")).isEqualTo("Quelle est la probabilité que vous nous recommandiez ?");
        assertThat(d.question().in("fr")).isEqualTo("Quelle est la probabilité que vous nous recommandiez ?");
        assertThat(d.question().in("pt-BR")).isEqualTo("Qual a probabilidade de você nos recomendar?");
        assertThat(d.question().in("de")).as("no default: the first listed").isEqualTo("How likely are you to recommend us?");
        assertThat(d.question().in(null)).isEqualTo("How likely are you to recommend us?");
        assertThat(d.subject().in("fr-BE")).isEqualTo("Votre avis");
        assertThat(d.subject().in("en")).isEqualTo("Your opinion");
        assertThat(CliRun.run(db.settings(), "campaigns", "apply", file.toString()).outLines())
                .containsExactly("unchanged event-nps");
    }

    @Test
    void theExampleCampaignsAskFrenchContactsInFrench() {
        assertThat(CliRun.run(db.settings(), "campaigns", "apply", "campaigns").exitCode()).isZero();

        for (var stored : db.dsl().select(CAMPAIGN.DEFINITION).from(CAMPAIGN).fetch(CAMPAIGN.DEFINITION)) {
            CampaignDefinition d = CampaignDefinition.stored(stored.data());
            assertThat(d.question().in("fr-FR")).as(d.key()).startsWith("Quelle est la probabilité");
            assertThat(d.question().in("en")).as(d.key()).startsWith("How likely");
        }
    }

    @Test
    void everyBadTranslationIsReportedWithItsLineAndNothingIsApplied() throws IOException {
        Path file = write("bad.yaml", CAMPAIGN_YAML.replace("QUESTION", """
                question:
                  en: How likely are you to recommend us?
                  french: Quelle est la probabilité ?
                  fr: ""
                  pt_BR: Qual?
                  pt-br: Qual a probabilidade?
                subject: [a, b]"""));

        CliRun run = CliRun.run(db.settings(), "campaigns", "apply", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(
                file + ":7: question.french: not a language tag (e.g. en, fr, fr-CA) nor default",
                file + ":8: question.fr: must not be empty",
                file + ":10: question.pt-br: the same language as pt_BR",
                file + ":11: subject: expected a single value");
        assertThat(db.dsl().fetchCount(CAMPAIGN)).isZero();
    }

    private Path write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }
}
