package io.surveycast.report;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.support.CliRun;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Report figures against numbers computed here, independently, from the raw rows the test wrote:
 * random invitations over a year (sent, failed, never sent, skipped), random answers.
 */
class ReportsTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2027-01-15T00:00:00Z"), ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    /** What the test knows of each invitation it wrote. */
    record Written(String campaign, String channel, String plan, String status, OffsetDateTime sentAt,
                   OffsetDateTime inviteAt, Integer score, OffsetDateTime receivedAt) { }

    final List<Written> written = new ArrayList<>();

    @BeforeEach
    void aYearOfInvitationsAndAnswers() {
        StringBuilder csv = new StringBuilder("external_id,email,plan\n");
        for (int c = 0; c < 300; c++) {
            csv.append("c").append(c).append(",c").append(c).append("@example.com,")
                    .append(c % 3 == 0 ? "pro" : c % 3 == 1 ? "free" : "").append('\n');
        }
        Fixtures.contacts(db.dsl(), CLOCK, csv.toString());
        for (String key : List.of("alpha", "beta")) {
            Fixtures.campaign(db.dsl(), CLOCK, """
                    key: %s
                    name: %s
                    trigger: {type: event, event: signed}
                    channels: [email, sms]
                    question: How likely?
                    templates: {email: nps-invite, sms: nps-invite}
                    """.formatted(key, key));
        }
        Random random = new Random(42);
        var contacts = db.dsl().select(CONTACT.ID, CONTACT.ATTRIBUTES).from(CONTACT).fetch();
        OffsetDateTime start = OffsetDateTime.parse("2026-01-01T00:00:00Z");
        int n = 0;
        for (var contact : contacts) {
            for (String key : List.of("alpha", "beta")) {
                long campaignId = db.dsl().select(CAMPAIGN.ID).from(CAMPAIGN).where(CAMPAIGN.KEY.eq(key)).fetchSingle().value1();
                String channel = random.nextInt(4) == 0 ? "sms" : "email";
                OffsetDateTime inviteAt = start.plusHours(random.nextInt(365 * 24));
                int kind = random.nextInt(20);
                String status = kind == 0 ? "failed" : kind == 1 ? "skipped" : kind == 2 ? "planned" : "sent";
                OffsetDateTime sentAt = status.equals("sent") ? inviteAt.plusMinutes(random.nextInt(600)) : null;
                Integer score = status.equals("sent") && random.nextInt(3) > 0 ? random.nextInt(11) : null;
                OffsetDateTime receivedAt = score == null ? null : sentAt.plusMinutes(1 + random.nextInt(60 * 72));
                String finalStatus = score != null ? "responded" : status;
                long invitation = db.dsl().insertInto(INVITATION)
                        .set(INVITATION.CAMPAIGN_ID, campaignId).set(INVITATION.CONTACT_ID, contact.value1())
                        .set(INVITATION.CYCLE, "event:" + (n++)).set(INVITATION.CHANNEL, channel)
                        .set(INVITATION.STATUS, finalStatus)
                        .set(INVITATION.SKIP_REASON, status.equals("skipped") ? "fatigue" : null)
                        .set(INVITATION.TRIGGER_AT, inviteAt).set(INVITATION.PLANNED_AT, inviteAt)
                        .set(INVITATION.INVITE_AT, status.equals("skipped") ? null : inviteAt)
                        .set(INVITATION.SENT_AT, sentAt)
                        .returning(INVITATION.ID).fetchOne(INVITATION.ID);
                if (score != null) {
                    db.dsl().insertInto(RESPONSE).set(RESPONSE.INVITATION_ID, invitation).set(RESPONSE.SCORE, score.shortValue())
                            .set(RESPONSE.CHANNEL, channel).set(RESPONSE.RECEIVED_AT, receivedAt)
                            .set(RESPONSE.UPDATED_AT, receivedAt).execute();
                }
                String plan = contact.value2() == null ? null
                        : JSON.valueToTree(parse(contact.value2().data())).path("plan").asText(null);
                written.add(new Written(key, channel, plan, status, sentAt, inviteAt, score, receivedAt));
            }
        }
    }

    @Test
    void everyBreakdownMatchesWhatTheRawRowsSay() {
        Reports reports = new Reports(db.dsl());
        check(reports.run(null, null, null, Breakdown.parse("campaign")), Written::campaign, w -> true);
        check(reports.run(null, null, null, Breakdown.parse("channel")), Written::channel, w -> true);
        check(reports.run(null, null, null, Breakdown.parse("attr:plan")), w -> w.plan() == null ? "(none)" : w.plan(), w -> true);
        check(reports.run(null, null, null, Breakdown.parse("month")),
                w -> at(w).toLocalDate().toString().substring(0, 7), w -> true);
        check(reports.run(null, null, null, Breakdown.parse("quarter")),
                w -> at(w).getYear() + "-Q" + ((at(w).getMonthValue() - 1) / 3 + 1), w -> true);
        LocalDate from = LocalDate.parse("2026-04-01");
        LocalDate to = LocalDate.parse("2026-06-30");
        check(reports.run("beta", from, to, Breakdown.ALL), w -> "all", w -> w.campaign().equals("beta")
                && !at(w).toLocalDate().isBefore(from) && !at(w).toLocalDate().isAfter(to));
    }

    @Test
    void theCommandPrintsTheContractsJson() throws Exception {
        CliRun run = CliRun.run(db.settings(), "report", "--campaign", "alpha", "--by", "quarter", "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode rows = JSON.readTree(run.out());
        assertThat(rows.size()).isEqualTo(4);
        JsonNode first = rows.get(0);
        assertThat(first.get("group").asText()).isEqualTo("2026-Q1");
        for (String field : List.of("group", "invited", "delivered", "failed", "responded", "response_rate", "nps",
                "promoters", "passives", "detractors", "margin_of_error")) {
            assertThat(first.has(field)).as(field).isTrue();
        }
        List<ReportRow> expected = new Reports(db.dsl()).run("alpha", null, null, Breakdown.parse("quarter"));
        assertThat(first.get("nps").asDouble()).isEqualTo(expected.get(0).nps());
        assertThat(CliRun.run(db.settings(), "report", "--by", "week").exitCode()).isEqualTo(2);
        assertThat(CliRun.run(db.settings(), "report", "--campaign", "nope").err()).contains("--campaign");
        CliRun csv = CliRun.run(db.settings(), "report", "--by", "channel", "--format", "csv");
        assertThat(csv.out().lines().findFirst().orElseThrow()).startsWith("group,invited,delivered,failed,responded");
        assertThat(csv.out().lines().count()).isEqualTo(3);
    }

    private void check(List<ReportRow> rows, Function<Written, String> groupOf, java.util.function.Predicate<Written> in) {
        Map<String, List<Written>> groups = new TreeMap<>();
        for (Written w : written) {
            boolean invited = w.sentAt() != null || w.status().equals("failed");
            if (invited && in.test(w)) {
                groups.computeIfAbsent(groupOf.apply(w), k -> new ArrayList<>()).add(w);
            }
        }
        assertThat(rows).extracting(ReportRow::group).containsExactlyElementsOf(groups.keySet());
        for (ReportRow row : rows) {
            List<Written> g = groups.get(row.group());
            long failed = g.stream().filter(w -> w.status().equals("failed")).count();
            List<Integer> scores = g.stream().map(Written::score).filter(java.util.Objects::nonNull).toList();
            long promoters = scores.stream().filter(s -> s >= 9).count();
            long detractors = scores.stream().filter(s -> s <= 6).count();
            long passives = scores.size() - promoters - detractors;
            long delivered = g.size() - failed;
            assertThat(row.invited()).as(row.group()).isEqualTo(g.size());
            assertThat(row.delivered()).isEqualTo(delivered);
            assertThat(row.responded()).isEqualTo(scores.size());
            assertThat(row.responseRate()).isEqualTo(oneDecimal(100.0 * scores.size() / delivered));
            double p = (double) promoters / scores.size();
            double d = (double) detractors / scores.size();
            assertThat(row.nps()).as("NPS of %s", row.group()).isEqualTo(oneDecimal(100 * (p - d)));
            assertThat(row.promoterShare()).isEqualTo(oneDecimal(100 * p));
            assertThat(row.passiveShare()).isEqualTo(oneDecimal(100.0 * passives / scores.size()));
            assertThat(row.detractorShare()).isEqualTo(oneDecimal(100 * d));
            assertThat(row.marginOfError()).isEqualTo(oneDecimal(1.96 * 100 * Math.sqrt((p + d - (p - d) * (p - d)) / scores.size())));
            for (int s = 0; s <= 10; s++) {
                int score = s;
                assertThat(row.scores().get(s)).isEqualTo(scores.stream().filter(x -> x == score).count());
            }
            List<Double> hours = g.stream().filter(w -> w.score() != null)
                    .map(w -> (w.receivedAt().toEpochSecond() - w.sentAt().toEpochSecond()) / 3600.0).sorted().toList();
            double median = hours.size() % 2 == 1 ? hours.get(hours.size() / 2)
                    : (hours.get(hours.size() / 2 - 1) + hours.get(hours.size() / 2)) / 2;
            assertThat(row.medianHoursToRespond()).isEqualTo(oneDecimal(median));
        }
    }

    private static OffsetDateTime at(Written w) {
        return (w.sentAt() != null ? w.sentAt() : w.inviteAt()).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static double oneDecimal(double value) {
        return java.math.BigDecimal.valueOf(value).setScale(1, java.math.RoundingMode.HALF_UP).doubleValue();
    }

    private static Object parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
