package io.surveycast.followup;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CASE_NOTE;
import static io.surveycast.db.Tables.CASE_QUEUE;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.FOLLOW_UP_CASE;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.InvalidInputException;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.Fixtures;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code cases report} against figures this test computes itself from the raw rows it writes:
 * answers of 40 contacts to two campaigns over two months (so detractors are re-surveyed in the
 * same campaign's later cycle and in the other campaign, some recovering, some not, some never),
 * cases in every state, notes as first actions, closes before and after the due time, cases closed
 * as score_changed, and unassigned ones. Every figure of every grouping, with and without a period.
 */
class CaseReportTest {
    static final Instant NOW = Instant.parse("2027-06-30T12:00:00Z");
    static final List<String> CAMPAIGNS = List.of("welcome", "quarterly");
    static final List<String> OWNERS = List.of("ann@acme.example", "bob@acme.example");

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    /** An answer as written: the response's score as it stands (after its 24 hours). */
    record Answer(long responseId, long invitationId, long contactId, int score, Instant receivedAt) { }

    /** A case as written. */
    record Case(Answer answer, String campaign, String category, String owner, String status, Instant openedAt,
                Instant dueAt, Instant firstActionAt, Instant closedAt, String closeReason) { }

    final List<Answer> answers = new ArrayList<>();
    final List<Case> cases = new ArrayList<>();

    @Test
    void everyFigureOfEveryGroupingIsTheOneComputedFromTheRows() {
        write(db.dsl(), new Random(14_7));
        assertThat(cases).as("the rows cover what the report distinguishes")
                .anyMatch(c -> c.status().equals("open") && !c.dueAt().isAfter(NOW))
                .anyMatch(c -> !c.status().equals("closed") && c.dueAt().isAfter(NOW))
                .anyMatch(c -> c.status().equals("in_progress"))
                .anyMatch(c -> c.closedAt() != null && !c.closedAt().isAfter(c.dueAt()) && !"score_changed".equals(c.closeReason()))
                .anyMatch(c -> c.closedAt() != null && c.closedAt().isAfter(c.dueAt()))
                .anyMatch(c -> "score_changed".equals(c.closeReason()))
                .anyMatch(c -> c.owner() == null)
                .anyMatch(c -> c.category().equals("passive"));
        List<Case> detractors = cases.stream().filter(c -> c.answer().score() <= 6).toList();
        assertThat(detractors).as("recovered, not recovered and never re-surveyed")
                .anyMatch(c -> next(c).map(n -> n.score() >= 7).orElse(false))
                .anyMatch(c -> next(c).map(n -> n.score() <= 6).orElse(false))
                .anyMatch(c -> next(c).isEmpty());
        assertThat(detractors).as("re-surveyed in the other campaign")
                .anyMatch(c -> next(c).map(n -> !campaignOf(n).equals(c.campaign())).orElse(false));

        Cases report = Cases.of(db.dsl(), java.time.Clock.fixed(NOW, ZoneOffset.UTC), List.of(),
                new TemplateStore(Optional.empty()), "https://nps.acme.example");
        LocalDate from = LocalDate.parse("2027-05-10");
        LocalDate to = LocalDate.parse("2027-06-20");
        for (String by : new String[] {null, "owner", "campaign", "category"}) {
            for (LocalDate[] period : new LocalDate[][] {{null, null}, {from, to}, {from, null}}) {
                List<Map<String, Object>> expected = expected(by, period[0], period[1]);
                assertThat(expected).as("groups in the data").isNotEmpty();
                List<Map<String, Object>> actual = report.report(new CaseReport.Query(period[0], period[1], by)).stream()
                        .map(CaseReportRow::json).toList();
                assertThat(actual).as("by %s from %s to %s", by, period[0], period[1]).isEqualTo(expected);
            }
        }
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> CaseReport.query("2027-13-01", "2027-01-01", "team", "--"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).lines()).containsExactly(
                        "--from: not a date (YYYY-MM-DD): 2027-13-01", "--by: expected owner, campaign or category, got team"));
        assertThatThrownBy(() -> CaseReport.query("2027-02-01", "2027-01-01", null, ""))
                .hasMessage("to: 2027-01-01 is before from 2027-02-01");
    }

    // ---- the figures, from the rows as written --------------------------------------------------

    List<Map<String, Object>> expected(String by, LocalDate from, LocalDate to) {
        Instant start = from == null ? Instant.MIN : from.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = to == null ? Instant.MAX : to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Function<Case, String> group = switch (by == null ? "all" : by) {
            case "owner" -> c -> c.owner() == null ? "(unassigned)" : c.owner();
            case "campaign" -> Case::campaign;
            case "category" -> Case::category;
            default -> c -> "all";
        };
        Map<String, List<Case>> groups = new TreeMap<>();
        for (Case c : cases) {
            if (!c.openedAt().isBefore(start) && c.openedAt().isBefore(end)) {
                groups.computeIfAbsent(group.apply(c), k -> new ArrayList<>()).add(c);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        groups.forEach((name, in) -> {
            long closed = in.stream().filter(c -> c.status().equals("closed")).count();
            long overdue = in.stream().filter(c -> !c.status().equals("closed") && !c.dueAt().isAfter(NOW)).count();
            List<Case> closedByPeople = in.stream().filter(c -> c.closedAt() != null && !"score_changed".equals(c.closeReason())).toList();
            long inTime = closedByPeople.stream().filter(c -> !c.closedAt().isAfter(c.dueAt())).count();
            List<Double> toFirstAction = in.stream().filter(c -> c.firstActionAt() != null)
                    .map(c -> hours(c.openedAt(), c.firstActionAt())).toList();
            List<Double> toClose = closedByPeople.stream().map(c -> hours(c.openedAt(), c.closedAt())).toList();
            List<Answer> nextAnswers = in.stream().filter(c -> c.answer().score() <= 6).map(this::next).flatMap(Optional::stream).toList();
            long recovered = nextAnswers.stream().filter(a -> a.score() >= 7).count();
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("group", name);
            row.put("opened", (long) in.size());
            row.put("closed", closed);
            row.put("open", in.size() - closed);
            row.put("overdue", overdue);
            row.put("closed_within_due", percent(inTime, closedByPeople.size() + overdue));
            row.put("median_hours_to_first_action", round(median(toFirstAction)));
            row.put("median_hours_to_close", round(median(toClose)));
            row.put("detractors_resurveyed", (long) nextAnswers.size());
            row.put("recovered", recovered);
            row.put("recovery_rate", percent(recovered, nextAnswers.size()));
            rows.add(row);
        });
        return rows;
    }

    /** The contact's next answer to another invitation (another cycle, any campaign), if any. */
    Optional<Answer> next(Case c) {
        Answer a = c.answer();
        return answers.stream()
                .filter(o -> o.contactId() == a.contactId() && o.invitationId() != a.invitationId()
                        && o.receivedAt().isAfter(a.receivedAt()))
                .min(Comparator.comparing(Answer::receivedAt).thenComparing(Answer::responseId));
    }

    String campaignOf(Answer a) {
        return cases.stream().filter(c -> c.answer().equals(a)).map(Case::campaign).findFirst()
                .orElse(invitationCampaign.get(a.invitationId()));
    }

    static double hours(Instant from, Instant to) {
        return Duration.between(from, to).toSeconds() / 3600.0;
    }

    static Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        double lo = sorted.get((n - 1) / 2);
        double hi = sorted.get(n / 2);
        return lo + (hi - lo) * 0.5;
    }

    static Double percent(long part, long whole) {
        return whole == 0 ? null : round(100.0 * part / whole);
    }

    static Double round(Double value) {
        return value == null ? null : BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }

    // ---- the raw rows ---------------------------------------------------------------------------

    final Map<Long, String> invitationCampaign = new java.util.HashMap<>();

    /**
     * Each contact answers one to three times (cycles a week or more apart, either campaign); an
     * answer of 0-6 opens a detractor case, some 7-8 a passive one, each in a random state. Times
     * are multiples of 12 minutes, so every median and hour figure is a whole tenth (no rounding tie).
     */
    void write(DSLContext dsl, Random random) {
        var clock = java.time.Clock.fixed(NOW.minus(Duration.ofDays(90)), ZoneOffset.UTC);
        StringBuilder csv = new StringBuilder("external_id,email\n");
        for (int i = 0; i < 40; i++) {
            csv.append("c").append(i).append(",c").append(i).append("@example.com\n");
        }
        Fixtures.contacts(dsl, clock, csv.toString());
        for (String key : CAMPAIGNS) {
            Fixtures.campaign(dsl, clock, """
                    key: %s
                    name: %s
                    trigger: {type: onboarding, offset: P1D}
                    channels: [email]
                    question: How likely?
                    templates: {email: nps-invite}
                    """.formatted(key, key));
        }
        Map<String, Long> campaignIds = dsl.select(CAMPAIGN.KEY, CAMPAIGN.ID).from(CAMPAIGN).fetchMap(CAMPAIGN.KEY, CAMPAIGN.ID);
        List<Long> contacts = dsl.select(CONTACT.ID).from(CONTACT).orderBy(CONTACT.ID).fetch(CONTACT.ID);
        for (long contact : contacts) {
            int times = 1 + random.nextInt(3);
            Instant at = NOW.minus(Duration.ofDays(60)).plus(Duration.ofMinutes(12L * random.nextInt(5 * 24 * 12)));
            for (int n = 0; n < times; n++) {
                String campaign = CAMPAIGNS.get(random.nextInt(2));
                int score = random.nextInt(11);
                Answer answer = answer(dsl, campaignIds.get(campaign), contact, "cycle-" + n, score, at);
                invitationCampaign.put(answer.invitationId(), campaign);
                if (score <= 6 || (score <= 8 && random.nextBoolean())) {
                    writeCase(dsl, random, answer, campaign, campaignIds.get(campaign), score <= 6 ? "detractor" : "passive");
                }
                at = at.plus(Duration.ofDays(7)).plus(Duration.ofMinutes(12L * random.nextInt(10 * 24 * 5)));
            }
        }
        // answers of the last days: cases not due yet
        for (long contact : contacts.subList(0, 6)) {
            Instant at = NOW.minus(Duration.ofMinutes(12L * (1 + random.nextInt(5 * 60))));
            Answer answer = answer(dsl, campaignIds.get("welcome"), contact, "recent", random.nextInt(7), at);
            invitationCampaign.put(answer.invitationId(), "welcome");
            writeCase(dsl, random, answer, "welcome", campaignIds.get("welcome"), "detractor");
        }
        // the rows written are the truth: nothing the case rules would do to queued answers
        dsl.deleteFrom(CASE_QUEUE).execute();
    }

    Answer answer(DSLContext dsl, long campaign, long contact, String cycle, int score, Instant at) {
        long invitation = dsl.insertInto(INVITATION)
                .set(INVITATION.CAMPAIGN_ID, campaign).set(INVITATION.CONTACT_ID, contact).set(INVITATION.CYCLE, cycle)
                .set(INVITATION.CHANNEL, "email").set(INVITATION.STATUS, "responded")
                .set(INVITATION.TRIGGER_AT, utc(at.minus(Duration.ofDays(1)))).set(INVITATION.PLANNED_AT, utc(at.minus(Duration.ofDays(1))))
                .set(INVITATION.INVITE_AT, utc(at.minus(Duration.ofHours(2)))).set(INVITATION.SENT_AT, utc(at.minus(Duration.ofHours(2))))
                .set(INVITATION.RESPONDED_AT, utc(at))
                .returning(INVITATION.ID).fetchOne(INVITATION.ID);
        long response = dsl.insertInto(RESPONSE)
                .set(RESPONSE.INVITATION_ID, invitation).set(RESPONSE.SCORE, (short) score).set(RESPONSE.CHANNEL, "web")
                .set(RESPONSE.RECEIVED_AT, utc(at)).set(RESPONSE.UPDATED_AT, utc(at))
                .returning(RESPONSE.ID).fetchOne(RESPONSE.ID);
        Answer answer = new Answer(response, invitation, contact, score, at);
        answers.add(answer);
        return answer;
    }

    void writeCase(DSLContext dsl, Random random, Answer answer, String campaign, long campaignId, String category) {
        Instant opened = answer.receivedAt();
        Instant due = opened.plus(category.equals("detractor") ? Duration.ofHours(48) : Duration.ofDays(7));
        String owner = random.nextInt(4) == 0 ? null : OWNERS.get(random.nextInt(2));
        Instant firstAction = null;
        Instant closed = null;
        String reason = null;
        String status;
        switch (random.nextInt(5)) {
            case 0 -> status = "open"; // never touched (overdue once its due time has passed)
            case 1 -> {
                status = "in_progress";
                firstAction = opened.plus(Duration.ofMinutes(12L * (1 + random.nextInt(300))));
            }
            case 2 -> { // a note, then closed within or after the due time
                status = "closed";
                firstAction = opened.plus(Duration.ofMinutes(12L * (1 + random.nextInt(200))));
                closed = firstAction.plus(Duration.ofMinutes(12L * random.nextInt(400)));
                reason = "called";
            }
            case 3 -> { // closed without a note first: the close is the first action
                status = "closed";
                closed = opened.plus(Duration.ofMinutes(12L * (1 + random.nextInt(600))));
                firstAction = closed;
                reason = "resolved";
            }
            default -> { // the answer moved out of the category within its 24 hours: closed by surveycast
                status = "closed";
                closed = opened.plus(Duration.ofMinutes(12L * (1 + random.nextInt(100))));
                reason = "score_changed";
                int moved = category.equals("detractor") ? 7 + random.nextInt(4) : random.nextInt(7);
                dsl.update(RESPONSE).set(RESPONSE.SCORE, (short) moved).set(RESPONSE.UPDATED_AT, utc(closed))
                        .where(RESPONSE.ID.eq(answer.responseId())).execute();
                answers.remove(answer);
                answer = new Answer(answer.responseId(), answer.invitationId(), answer.contactId(), moved, answer.receivedAt());
                answers.add(answer);
            }
        }
        if (closed != null && closed.isAfter(NOW) || firstAction != null && firstAction.isAfter(NOW)) {
            status = "open"; // nothing happens after now
            firstAction = null;
            closed = null;
            reason = null;
        }
        long id = dsl.insertInto(FOLLOW_UP_CASE)
                .set(FOLLOW_UP_CASE.RESPONSE_ID, answer.responseId()).set(FOLLOW_UP_CASE.INVITATION_ID, answer.invitationId())
                .set(FOLLOW_UP_CASE.CONTACT_ID, answer.contactId()).set(FOLLOW_UP_CASE.CAMPAIGN_ID, campaignId)
                .set(FOLLOW_UP_CASE.CATEGORY, category).set(FOLLOW_UP_CASE.OWNER, owner).set(FOLLOW_UP_CASE.STATUS, status)
                .set(FOLLOW_UP_CASE.OPENED_AT, utc(opened)).set(FOLLOW_UP_CASE.DUE_AT, utc(due))
                .set(FOLLOW_UP_CASE.FIRST_ACTION_AT, utc(firstAction)).set(FOLLOW_UP_CASE.CLOSED_AT, utc(closed))
                .set(FOLLOW_UP_CASE.CLOSE_REASON, reason).set(FOLLOW_UP_CASE.UPDATED_AT, utc(opened))
                .returning(FOLLOW_UP_CASE.ID).fetchOne(FOLLOW_UP_CASE.ID);
        if (firstAction != null && !firstAction.equals(closed)) {
            dsl.insertInto(CASE_NOTE).set(CASE_NOTE.CASE_ID, id).set(CASE_NOTE.AUTHOR, owner == null ? "lea" : owner)
                    .set(CASE_NOTE.AT, utc(firstAction)).set(CASE_NOTE.TEXT, "Called").execute();
        }
        cases.add(new Case(answer, campaign, category, owner, status, opened, due, firstAction, closed, reason));
    }

    static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}
