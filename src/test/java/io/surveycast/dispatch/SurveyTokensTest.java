package io.surveycast.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SurveyTokensTest {

    @Test
    void aTokenIsTheSameForAnInvitationAndUnlikeAnyOther() {
        SurveyTokens tokens = new SurveyTokens(() -> "secret-one");
        assertThat(tokens.forInvitation(42)).isEqualTo(new SurveyTokens(() -> "secret-one").forInvitation(42))
                .matches("[A-Za-z0-9_-]{22}");
        Set<String> seen = new HashSet<>();
        for (long id = 1; id <= 10_000; id++) {
            seen.add(tokens.forInvitation(id));
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void anotherSecretGivesOtherTokens() {
        assertThat(new SurveyTokens(() -> "secret-one").forInvitation(42))
                .isNotEqualTo(new SurveyTokens(() -> "secret-two").forInvitation(42));
    }
}
