package io.surveycast.theme;

import static io.surveycast.db.Tables.AUDIT_LOG;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE_SENTIMENT;
import static io.surveycast.db.Tables.RESPONSE_THEME;
import static io.surveycast.db.Tables.THEME;
import static io.surveycast.db.Tables.THEME_QUEUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.config.InvalidInputException;
import io.surveycast.plan.Planner;
import io.surveycast.response.ResponseNotices;
import io.surveycast.response.Responses;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tagging against the real schema: an answer's comment is queued in the answer's own transaction,
 * tagged off its path by whichever tagger runs next (also after a restart), re-tagged on demand,
 * and manual tags survive re-tagging.
 */
class ThemeTaggingQueueTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final MutableClock clock = new MutableClock(T);
    Responses responses;
    Themes themes;
    List<Long> invitations;

    @BeforeEach
    void threeInvitationsSentAndTheDefaultThemes() {
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,name,onboarded_at
                a,ann@example.com,Ann,2026-05-31T12:00:00Z
                b,bob@example.com,Bob,2026-05-31T12:00:00Z
                c,cat@example.com,Cat,2026-05-31T12:00:00Z
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
        db.dsl().update(INVITATION).set(INVITATION.STATUS, "sent").set(INVITATION.SENT_AT, T.atOffset(ZoneOffset.UTC)).execute();
        invitations = db.dsl().select(INVITATION.ID).from(INVITATION).orderBy(INVITATION.ID).fetch(r -> r.value1());
        responses = new Responses(db.dsl(), clock, new ResponseNotices(List.of(), Duration.ZERO, "http://x"));
        themes = new Themes(db.dsl(), clock);
        assertThat(themes.ensureDefaults("test")).isEqualTo(7);
    }

    @Test
    void theDefaultSetIsPutInPlaceOnceAndAudited() {
        assertThat(db.dsl().select(THEME.KEY).from(THEME).orderBy(THEME.KEY).fetch(r -> r.value1()))
                .containsExactly("ease-of-use", "missing-features", "onboarding", "pricing", "product-quality", "reliability",
                        "support");
        assertThat(themes.ensureDefaults("test")).isZero();
        assertThat(db.dsl().fetchCount(AUDIT_LOG, AUDIT_LOG.ACTION.eq("theme.created"))).isEqualTo(7);
    }

    @Test
    void anAnswerIsQueuedWithItsCommentAndTaggedOffItsPath() {
        long response = answer(0, 3, "Support never answered my ticket and the app crashes daily");
        assertThat(db.dsl().fetchCount(THEME_QUEUE)).isEqualTo(1);
        assertThat(db.dsl().fetchCount(RESPONSE_THEME)).isZero(); // stored at once, tagged later

        try (var tagging = new ThemeTagging(db.dsl(), clock, 0.5, false)) {
            assertThat(tagging.drain(10)).isEqualTo(1);
        }
        assertThat(tags(response)).isEqualTo(Map.of("support", "rule", "reliability", "rule"));
        assertThat(sentiment(response)).isEqualTo("negative");
        assertThat(db.dsl().fetchCount(THEME_QUEUE)).isZero();
    }

    @Test
    void aScoreWithoutCommentIsNotQueuedUntilTheCommentComes() {
        long response = answer(1, 9, null);
        assertThat(db.dsl().fetchCount(THEME_QUEUE)).isZero();
        clock.advance(Duration.ofMinutes(1));
        responses.answer(invitations.get(1), null, "So easy to use, the whole team loves it", "web");
        assertThat(db.dsl().fetchCount(THEME_QUEUE)).isEqualTo(1);
        try (var tagging = new ThemeTagging(db.dsl(), clock, 0.5, false)) {
            tagging.drain(10);
        }
        assertThat(tags(response)).isEqualTo(Map.of("ease-of-use", "rule"));
        assertThat(sentiment(response)).isEqualTo("positive");
    }

    @Test
    void whatOneProcessQueuedIsTaggedByTheNextAfterARestart() {
        long response = answer(0, 2, "Way too expensive for what it does");
        // the first process stopped before its tagger ran: the queue is a table, nothing is lost
        try (var afterRestart = new ThemeTagging(db.dsl(), clock, 0.5, false)) {
            assertThat(afterRestart.drain(10)).isEqualTo(1);
        }
        assertThat(tags(response)).containsOnlyKeys("pricing");
    }

    @Test
    void aCommentNoRuleTagsGoesToTheModel() {
        long response = answer(0, 3, "The website was unavailable for most of the afternoon");
        try (var tagging = new ThemeTagging(db.dsl(), clock, 0.3, true)) {
            tagging.drain(10);
        }
        assertThat(tags(response)).isEqualTo(Map.of("reliability", "model"));
        assertThat(db.dsl().select(RESPONSE_THEME.SIMILARITY).from(RESPONSE_THEME).fetchOne(0, Float.class))
                .isGreaterThanOrEqualTo(0.3f);
    }

    @Test
    void manualTagsAndUntagsAreKeptThroughRetagging() {
        long response = answer(0, 4, "Support is slow and the pricing is unclear");
        try (var tagging = new ThemeTagging(db.dsl(), clock, 0.5, false)) {
            tagging.drain(10);
            assertThat(tags(response)).containsOnlyKeys("support", "pricing", "reliability");

            themes.setManual(response, List.of("support", "onboarding"), "test");
            assertThat(themes.queueRetag(null, "test")).isEqualTo(1);
            tagging.drain(10);
        }
        assertThat(tags(response)).isEqualTo(Map.of("support", "manual", "onboarding", "manual"));
        assertThat(db.dsl().fetchCount(AUDIT_LOG, AUDIT_LOG.ACTION.eq("response.themes"))).isEqualTo(1);
        assertThatThrownBy(() -> themes.setManual(response, List.of("nosuch"), "test"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("unknown theme nosuch");
    }

    @Test
    void retagSinceADateQueuesOnlyTheLaterComments() {
        answer(0, 9, "Great product");
        clock.advance(Duration.ofDays(3));
        answer(1, 9, "Great support");
        try (var tagging = new ThemeTagging(db.dsl(), clock, 0.5, false)) {
            tagging.drain(10);
        }
        assertThat(themes.queueRetag(LocalDate.of(2026, 6, 3), "test")).isEqualTo(1);
        assertThat(themes.queueRetag(null, "test")).isEqualTo(2);
    }

    private long answer(int contact, Integer score, String comment) {
        responses.answer(invitations.get(contact), score, comment, "email");
        return responses.find(invitations.get(contact)).orElseThrow().responseId();
    }

    private Map<String, String> tags(long response) {
        return db.dsl().select(RESPONSE_THEME.THEME_KEY, RESPONSE_THEME.SOURCE).from(RESPONSE_THEME)
                .where(RESPONSE_THEME.RESPONSE_ID.eq(response)).fetch().stream()
                .collect(Collectors.toMap(r -> r.value1(), r -> r.value2()));
    }

    private String sentiment(long response) {
        return db.dsl().select(RESPONSE_SENTIMENT.SENTIMENT).from(RESPONSE_SENTIMENT)
                .where(RESPONSE_SENTIMENT.RESPONSE_ID.eq(response)).fetchOne(0, String.class);
    }
}
