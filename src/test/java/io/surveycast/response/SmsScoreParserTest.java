package io.surveycast.response;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SmsScoreParserTest {
    final SmsScoreParser parser = new SmsScoreParser();

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "-", value = {
            "9|9|-",
            " 9 |9|-",
            "9/10|9|-",
            "9 / 10|9|-",
            "10/10|10|-",
            "9 out of 10|9|-",
            "8 sur 10|8|-",
            "10!|10|-",
            "0|0|-",
            "8.|8|-",
            "nine|9|-",
            "Ten!|10|-",
            "NEUF|9|-",
            "zéro|0|-",
            "Zero|0|-",
            "dix|10|-",
            "six|6|-",
            "9 - great support|9|great support",
            "9 – Great support!|9|Great support!",
            "10: fast and friendly|10|fast and friendly",
            "neuf, super service|9|super service",
            "9, une super appli|9|une super appli",
            "9 - one of the best|9|one of the best",
            "I'd say 8 because the app is easy|8|I'd say 8 because the app is easy",
            "je donne 7 car c'est cher|7|je donne 7 car c'est cher",
    })
    void readsAScore(String reply, int score, String comment) {
        assertThat(parser.parse(reply)).contains(new SmsScoreParser.Reading(score, comment));
    }

    @org.junit.jupiter.api.Test
    void aCommentMayStartOnTheNextLine() {
        assertThat(parser.parse("7\nslow support")).contains(new SmsScoreParser.Reading(7, "slow support"));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "   ", "hello", "7 or 8", "7 ou 8", "7-8", "7 - 8", "7/8", "7 to 8", "100", "11", "-1",
            "8.5", "8,5", "9great", "un peu cher", "ninety", "yes", "I'd say 8 because it took 2 days",
            "call me at 5pm", "9, ten"})
    void refusesWhatCouldMeanAnythingElse(String reply) {
        assertThat(parser.parse(reply)).isEmpty();
    }
}
