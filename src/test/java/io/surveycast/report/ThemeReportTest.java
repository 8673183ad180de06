package io.surveycast.report;

import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.RESPONSE_THEME;
import static io.surveycast.db.Tables.THEME;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.response.ResponseNotices;
import io.surveycast.response.Responses;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.CliRun;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.MutableClock;
import io.surveycast.theme.Themes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code report --by theme}: per theme, the answers that mention it, its share of all comments and
 * of detractors' comments, the NPS of those answers and its impact, each checked against figures
 * computed here from the rows the test wrote.
 */
class ThemeReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");
    static final int CONTACTS = 80;

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @BeforeEach
    void answersWithCommentsAndThemes() {
        MutableClock clock = new MutableClock(T);
        StringBuilder csv = new StringBuilder("external_id,email,name,onboarded_at\n");
        for (int i = 0; i < CONTACTS; i++) {
            csv.append("c").append(i).append(",c").append(i).append("@example.com,C").append(i)
                    .append(",2026-05-31T12:00:00Z\n");
        }
        Fixtures.contacts(db.dsl(), clock, csv.toString());
        Fixtures.campaign(db.dsl(), clock, """
                key: welcome
                name: Welcome
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                """);
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(T);
        db.dsl().update(INVITATION).set(INVITATION.STATUS, "sent").set(INVITATION.SENT_AT, T.atOffset(ZoneOffset.UTC)).execute();
        new Themes(db.dsl(), clock).ensureDefaults("test");
        List<String> keys = db.dsl().select(THEME.KEY).from(THEME).fetch(THEME.KEY);
        Responses responses = new Responses(db.dsl(), clock, new ResponseNotices(List.of(), Duration.ZERO, "http://x"));
        Random random = new Random(15);
        List<Long> invitations = db.dsl().select(INVITATION.ID).from(INVITATION).orderBy(INVITATION.ID).fetch(INVITATION.ID);
        assertThat(invitations).hasSize(CONTACTS);
        // a few invitations stay unanswered: they are in no theme's figures
        for (long invitation : invitations.subList(0, CONTACTS - 5)) {
            clock.advance(Duration.ofMinutes(1 + random.nextInt(90)));
            boolean comment = random.nextInt(5) > 0;
            responses.answer(invitation, random.nextInt(11), comment ? "comment " + invitation : null, "email");
        }
        List<Long> answered = db.dsl().select(RESPONSE.ID).from(RESPONSE).fetch(RESPONSE.ID);
        for (long response : answered) {
            // zero, one or several themes; "missing-features" on nothing at all
            for (String key : keys) {
                if (!key.equals("missing-features") && random.nextInt(4) == 0) {
                    db.dsl().insertInto(RESPONSE_THEME).set(RESPONSE_THEME.RESPONSE_ID, response)
                            .set(RESPONSE_THEME.THEME_KEY, key).set(RESPONSE_THEME.SOURCE, "rule").execute();
                }
            }
        }
    }

    /** The expected figures of one theme, from the raw rows. */
    record Expected(long mentions, Double commentShare, Double detractorCommentShare, Double nps, Double impact) {
    }

    Map<String, Expected> expected() {
        Map<Long, Integer> scores = new HashMap<>();
        Set<Long> commented = new HashSet<>();
        db.dsl().select(RESPONSE.ID, RESPONSE.SCORE, RESPONSE.COMMENT).from(RESPONSE).forEach(r -> {
            scores.put(r.value1(), r.value2().intValue());
            if (r.value3() != null) {
                commented.add(r.value1());
            }
        });
        Map<String, Set<Long>> mentioning = new HashMap<>();
        db.dsl().select(THEME.KEY).from(THEME).forEach(r -> mentioning.put(r.value1(), new HashSet<>()));
        db.dsl().select(RESPONSE_THEME.THEME_KEY, RESPONSE_THEME.RESPONSE_ID).from(RESPONSE_THEME)
                .forEach(r -> mentioning.get(r.value1()).add(r.value2()));
        long comments = commented.size();
        long detractorComments = commented.stream().filter(id -> scores.get(id) <= 6).count();
        Map<String, Expected> out = new HashMap<>();
        mentioning.forEach((key, ids) -> {
            long commentMentions = ids.stream().filter(commented::contains).count();
            long detractorCommentMentions = ids.stream().filter(commented::contains).filter(id -> scores.get(id) <= 6).count();
            Set<Long> rest = new HashSet<>(scores.keySet());
            rest.removeAll(ids);
            out.put(key, new Expected(ids.size(), percent(commentMentions, comments),
                    percent(detractorCommentMentions, detractorComments), nps(ids, scores) == null ? null : round(nps(ids, scores)),
                    rest.isEmpty() ? null : round(nps(scores.keySet(), scores) - nps(rest, scores))));
        });
        return out;
    }

    static Double nps(Set<Long> ids, Map<Long, Integer> scores) {
        if (ids.isEmpty()) {
            return null;
        }
        long promoters = ids.stream().filter(id -> scores.get(id) >= 9).count();
        long detractors = ids.stream().filter(id -> scores.get(id) <= 6).count();
        return 100.0 * (promoters - detractors) / ids.size();
    }

    static Double percent(long part, long whole) {
        return whole == 0 ? null : round(100.0 * part / whole);
    }

    static Double round(double value) {
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }

    static Double number(JsonNode node) {
        return node == null || node.isNull() ? null : node.asDouble();
    }

    @Test
    void everyThemeHasItsMentionsSharesNpsAndImpact() throws Exception {
        Map<String, Expected> expected = expected();
        CliRun run = CliRun.run(db.settings(), "report", "--by", "theme", "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode rows = JSON.readTree(run.out());
        assertThat(rows).hasSize(expected.size());
        List<String> groups = new java.util.ArrayList<>();
        for (JsonNode row : rows) {
            String key = row.get("group").asText();
            groups.add(key);
            Expected e = expected.get(key);
            assertThat(e).as(key).isNotNull();
            assertThat(row.get("mentions").asLong()).as("mentions of %s", key).isEqualTo(e.mentions());
            assertThat(row.get("responded").asLong()).as("responded of %s", key).isEqualTo(e.mentions());
            assertThat(number(row.get("comment_share"))).as("comment_share of %s", key).isEqualTo(e.commentShare());
            assertThat(number(row.get("detractor_comment_share"))).as("detractor_comment_share of %s", key)
                    .isEqualTo(e.detractorCommentShare());
            assertThat(number(row.get("nps"))).as("nps of %s", key).isEqualTo(e.nps());
            assertThat(number(row.get("nps_impact"))).as("nps_impact of %s", key).isEqualTo(e.impact());
        }
        assertThat(groups).isSorted();
        // the same figures from Reports on both paths: the replica and PostgreSQL
        try (ReportReplica replica = ReportReplica.loadNow(db.dsl(), ReportSettings.DEFAULT)) {
            for (Reports reports : List.of(new Reports(db.dsl(), 4, ReportSettings.DEFAULT, replica), new Reports(db.dsl()))) {
                List<ReportRow> themes = reports.run(null, null, null, Breakdown.parse("theme"));
                assertThat(themes).extracting(ReportRow::group).containsExactlyElementsOf(groups);
                for (ReportRow row : themes) {
                    Expected e = expected.get(row.group());
                    assertThat(row.mentions()).as("mentions of %s", row.group()).isEqualTo(e.mentions());
                    assertThat(row.responded()).isEqualTo(e.mentions());
                    assertThat(row.commentShare()).as("comment_share of %s", row.group()).isEqualTo(e.commentShare());
                    assertThat(row.detractorCommentShare()).isEqualTo(e.detractorCommentShare());
                    assertThat(row.nps()).as("nps of %s", row.group()).isEqualTo(e.nps());
                    assertThat(row.npsImpact()).as("nps_impact of %s", row.group()).isEqualTo(e.impact());
                }
            }
        }
        assertThat(expected.get("missing-features").mentions()).as("a theme nobody mentions still has its row").isZero();
        assertThat(expected.values()).as("the data has themes that move the score").anyMatch(e -> e.impact() != null && e.impact() != 0);

        List<CsvRecord> csv = CsvReader.builder().ofCsvRecord(CliRun.run(db.settings(), "report", "--by", "theme",
                "--format", "csv").out()).stream().toList();
        List<String> header = csv.get(0).getFields();
        assertThat(header).containsSubsequence("score_10", "mentions", "comment_share", "detractor_comment_share",
                "nps_impact", "revenue", "revenue_weighted_nps", "revenue_at_risk");
        CsvRecord support = csv.stream().filter(r -> r.getField(0).equals("support")).findFirst().orElseThrow();
        assertThat(Long.parseLong(support.getField(header.indexOf("mentions")))).isEqualTo(expected.get("support").mentions());

        CliRun table = CliRun.run(db.settings(), "report", "--by", "theme");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.outLines().get(0)).startsWith("THEME").contains("MENTIONS", "IMPACT");
        assertThat(table.outLines()).hasSize(expected.size() + 1);
        String supportLine = table.outLines().stream().filter(l -> l.startsWith("support ")).findFirst().orElseThrow();
        assertThat(supportLine.split(" +")[1]).isEqualTo(String.valueOf(expected.get("support").mentions()));
    }

    @Test
    void mentionsPerQuarterForTheThemesPagesTrendAreTheRawRowsOnBothPaths() {
        // every mention of an answer, by the quarter of the day its invitation went out (UTC)
        Map<String, Map<LocalDate, Long>> raw = new HashMap<>();
        db.dsl().fetch("""
                select rt.theme_key, date_trunc('quarter', coalesce(i.sent_at, i.invite_at) at time zone 'UTC')::date as q,
                       count(*) as n
                from response_theme rt join response r on r.id = rt.response_id join invitation i on i.id = r.invitation_id
                where i.sent_at is not null or i.status = 'failed'
                group by 1, 2""").forEach(r -> raw.computeIfAbsent(r.get(0, String.class), k -> new java.util.TreeMap<>())
                .put(r.get(1, LocalDate.class), r.get(2, Long.class)));
        assertThat(raw.values().stream().mapToLong(m -> m.values().stream().mapToLong(Long::longValue).sum()).sum())
                .as("the data has mentions").isPositive();
        LocalDate first = raw.values().stream().flatMap(m -> m.keySet().stream()).min(LocalDate::compareTo).orElseThrow();
        LocalDate last = raw.values().stream().flatMap(m -> m.keySet().stream()).max(LocalDate::compareTo).orElseThrow();
        try (ReportReplica replica = ReportReplica.loadNow(db.dsl(), ReportSettings.DEFAULT)) {
            for (Reports reports : List.of(new Reports(db.dsl(), 4, ReportSettings.DEFAULT, replica), new Reports(db.dsl()))) {
                assertThat(reports.themeMentionsByQuarter(first.minusYears(1), last.plusMonths(3).minusDays(1), SegmentFilter.NONE))
                        .isEqualTo(raw);
                // the last quarter left out
                Map<String, Map<LocalDate, Long>> before = new HashMap<>();
                raw.forEach((theme, counts) -> {
                    var kept = new java.util.TreeMap<>(counts).headMap(last);
                    if (!kept.isEmpty()) {
                        before.put(theme, kept);
                    }
                });
                assertThat(reports.themeMentionsByQuarter(first, last.minusDays(1), SegmentFilter.NONE)).isEqualTo(before);
            }
        }
    }

    @Test
    void otherBreakdownsHaveNoThemeColumns() throws Exception {
        JsonNode row = JSON.readTree(CliRun.run(db.settings(), "report", "--format", "json").out()).get(0);
        assertThat(row.has("mentions")).isFalse();
        assertThat(row.get("responded").asInt()).isEqualTo(CONTACTS - 5);
    }
}
