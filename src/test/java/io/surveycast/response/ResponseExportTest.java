package io.surveycast.response;

import static io.surveycast.db.Tables.INVITATION;
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
}
