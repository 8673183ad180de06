package io.surveycast.response;

import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE_SENTIMENT;
import static io.surveycast.db.Tables.RESPONSE_THEME;
import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.CliRun;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The raw responses export: one row per response, every contact attribute a column, text that survives CSV. */
class ResponseExportTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void everyResponseWithItsContactsAttributes() {
        MutableClock clock = new MutableClock(T);
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,name,onboarded_at,plan,region,score
                a,ann@example.com,Ann,2026-05-31T12:00:00Z,pro,emea,high
                b,bob@example.com,Bob,2026-05-31T12:00:00Z,free,,
                c,cy@example.com,Cy,2026-05-31T12:00:00Z,,apac,
                """);
        Fixtures.campaign(db.dsl(), clock, """
                key: welcome
                name: Welcome
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                """);
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(T);
        db.dsl().update(INVITATION).set(INVITATION.STATUS, "sent").set(INVITATION.SENT_AT, T.atOffset(java.time.ZoneOffset.UTC)).execute();
        Responses responses = new Responses(db.dsl(), clock, new ResponseNotices(List.of(), Duration.ZERO, "http://x"));
        List<Long> invitations = db.dsl().select(INVITATION.ID).from(INVITATION).orderBy(INVITATION.ID).fetch(INVITATION.ID);
        responses.answer(invitations.get(0), 9, "Great, \"really\"\nfast", "email");
        clock.advance(Duration.ofMinutes(5));
        responses.answer(invitations.get(1), 3, null, "email");

        CliRun run = CliRun.run(db.settings(), "responses", "export", "--campaign", "welcome");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<CsvRecord> rows = CsvReader.builder().ofCsvRecord(run.out()).stream().toList();
        assertThat(rows.get(0).getFields()).startsWith("response_id", "received_at").endsWith("plan", "region", "attr_score");
        assertThat(rows).hasSize(3);
        List<String> header = rows.get(0).getFields();
        CsvRecord ann = rows.get(1);
        assertThat(ann.getField(header.indexOf("external_id"))).isEqualTo("a");
        assertThat(ann.getField(header.indexOf("comment"))).isEqualTo("Great, \"really\"\nfast");
        assertThat(ann.getField(header.indexOf("score"))).isEqualTo("9");
        assertThat(ann.getField(header.indexOf("category"))).isEqualTo("promoter");
        assertThat(ann.getField(header.indexOf("plan"))).isEqualTo("pro");
        assertThat(ann.getField(header.indexOf("attr_score"))).isEqualTo("high");
        CsvRecord bob = rows.get(2);
        assertThat(bob.getField(header.indexOf("category"))).isEqualTo("detractor");
        assertThat(bob.getField(header.indexOf("region"))).isEmpty();
        assertThat(CliRun.run(db.settings(), "responses", "export", "--from", "2026-06-01T12:03:00Z").out().lines().count())
                .as("by received time").isEqualTo(2);
    }

    @Test
    void themesAndSentimentAreColumnsWithTheKeysInKeyOrder() {
        MutableClock clock = new MutableClock(T);
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,name,onboarded_at,themes
                a,ann@example.com,Ann,2026-05-31T12:00:00Z,x
                b,bob@example.com,Bob,2026-05-31T12:00:00Z,y
                c,cy@example.com,Cy,2026-05-31T12:00:00Z,z
                """);
        Fixtures.campaign(db.dsl(), clock, """
                key: welcome
                name: Welcome
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                """);
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(T);
        db.dsl().update(INVITATION).set(INVITATION.STATUS, "sent").set(INVITATION.SENT_AT, T.atOffset(java.time.ZoneOffset.UTC)).execute();
        new io.surveycast.theme.Themes(db.dsl(), clock).ensureDefaults("test");
        Responses responses = new Responses(db.dsl(), clock, new ResponseNotices(List.of(), Duration.ZERO, "http://x"));
        List<Long> invitations = db.dsl().select(INVITATION.ID).from(INVITATION).orderBy(INVITATION.ID).fetch(INVITATION.ID);
        responses.answer(invitations.get(0), 3, "Support is slow and it costs too much", "email");
        responses.answer(invitations.get(1), 9, "Easy to use", "email");
        responses.answer(invitations.get(2), 7, null, "email");
        var R = io.surveycast.db.Tables.RESPONSE;
        long ann = db.dsl().select(R.ID).from(R).where(R.INVITATION_ID.eq(invitations.get(0))).fetchSingle(R.ID);
        long bob = db.dsl().select(R.ID).from(R).where(R.INVITATION_ID.eq(invitations.get(1))).fetchSingle(R.ID);
        // tags as the tagger or a person writes them, in no particular order
        Map<Long, List<String>> tags = Map.of(ann, List.of("support", "pricing", "product-quality"), bob, List.of("ease-of-use"));
        Map<Long, String> sentiments = Map.of(ann, "negative", bob, "positive");
        tags.forEach((response, keys) -> keys.forEach(key -> db.dsl().insertInto(RESPONSE_THEME)
                .set(RESPONSE_THEME.RESPONSE_ID, response).set(RESPONSE_THEME.THEME_KEY, key)
                .set(RESPONSE_THEME.SOURCE, "manual").execute()));
        sentiments.forEach((response, sentiment) -> db.dsl().insertInto(RESPONSE_SENTIMENT)
                .set(RESPONSE_SENTIMENT.RESPONSE_ID, response).set(RESPONSE_SENTIMENT.SENTIMENT, sentiment)
                .set(RESPONSE_SENTIMENT.TAGGED_AT, T.atOffset(java.time.ZoneOffset.UTC)).execute());

        CliRun run = CliRun.run(db.settings(), "responses", "export");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<CsvRecord> rows = CsvReader.builder().ofCsvRecord(run.out()).stream().toList();
        List<String> header = rows.get(0).getFields();
        assertThat(header).contains("themes", "sentiment", "attr_themes");
        assertThat(rows).hasSize(4);
        for (CsvRecord row : rows.subList(1, rows.size())) {
            long id = Long.parseLong(row.getField(header.indexOf("response_id")));
            String expected = String.join(";", tags.getOrDefault(id, List.of()).stream().sorted().toList());
            assertThat(row.getField(header.indexOf("themes"))).as("themes of %d", id).isEqualTo(expected);
            assertThat(row.getField(header.indexOf("sentiment"))).as("sentiment of %d", id)
                    .isEqualTo(sentiments.getOrDefault(id, ""));
        }
        assertThat(rows.get(1).getField(header.indexOf("attr_themes"))).isEqualTo("x");
    }

    @Test
    void formulasAreNeutralisedInEveryCsvExportButComputedNumbersAreNot() {
        MutableClock clock = new MutableClock(T);
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,name,onboarded_at,plan
                a,ann@example.com,Ann,2026-05-31T12:00:00Z,@SUM(A1)
                b,bob@example.com,Bob,2026-05-31T12:00:00Z,free
                """);
        Fixtures.campaign(db.dsl(), clock, """
                key: welcome
                name: Welcome
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                """);
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(T);
        db.dsl().update(INVITATION).set(INVITATION.STATUS, "sent").set(INVITATION.SENT_AT, T.atOffset(java.time.ZoneOffset.UTC)).execute();
        Responses responses = new Responses(db.dsl(), clock, new ResponseNotices(List.of(), Duration.ZERO, "http://x"));
        List<Long> invitations = db.dsl().select(INVITATION.ID).from(INVITATION).orderBy(INVITATION.ID).fetch(INVITATION.ID);
        responses.answer(invitations.get(0), 3, "=HYPERLINK(\"http://evil.example\",\"x\")", "email");
        responses.answer(invitations.get(1), 9, "+1 great", "email");
        db.dsl().update(io.surveycast.db.Tables.MESSAGE).set(io.surveycast.db.Tables.MESSAGE.LAST_ERROR, "=cmd|' /C calc'!A0").execute();

        List<CsvRecord> export = CsvReader.builder().ofCsvRecord(CliRun.run(db.settings(), "responses", "export").out())
                .stream().toList();
        List<String> header = export.get(0).getFields();
        assertThat(export.get(1).getField(header.indexOf("comment"))).isEqualTo("'=HYPERLINK(\"http://evil.example\",\"x\")");
        assertThat(export.get(1).getField(header.indexOf("plan"))).isEqualTo("'@SUM(A1)");
        assertThat(export.get(2).getField(header.indexOf("comment"))).isEqualTo("'+1 great");

        List<CsvRecord> report = CsvReader.builder().ofCsvRecord(CliRun.run(db.settings(), "report", "--by", "attr:plan",
                "--format", "csv").out()).stream().toList();
        List<String> columns = report.get(0).getFields();
        CsvRecord formulaGroup = report.stream().filter(r -> r.getField(0).contains("SUM")).findFirst().orElseThrow();
        assertThat(formulaGroup.getField(0)).isEqualTo("'@SUM(A1)");
        assertThat(formulaGroup.getField(columns.indexOf("nps"))).as("a computed number stays a number").isEqualTo("-100.0");

        CliRun messages = CliRun.run(db.settings(), "messages", "export", "--format", "csv");
        assertThat(messages.exitCode()).as(messages.err()).isZero();
        List<CsvRecord> log = CsvReader.builder().ofCsvRecord(messages.out()).stream().toList();
        int error = log.get(0).getFields().indexOf("error");
        assertThat(log.subList(1, log.size())).extracting(r -> r.getField(error))
                .contains("'=cmd|' /C calc'!A0").noneMatch(cell -> cell.startsWith("="));
    }
}
