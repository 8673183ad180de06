package io.surveycast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @Test
    void environmentOverridesTheFileWhichOverridesThePackagedDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("custom.properties");
        Files.writeString(file, "surveycast.http.port=9000\nsurveycast.public-url=https://nps.example.com\n");

        Settings settings = Settings.load(Map.of("SURVEYCAST_CONFIG", file.toString(), "SURVEYCAST_HTTP_PORT", "9100"),
                new Properties());

        assertThat(settings.getInt("surveycast.http.port", 0)).isEqualTo(9100);
        assertThat(settings.get("surveycast.public-url")).contains("https://nps.example.com");
        assertThat(settings.get("surveycast.default-region")).contains("US");
        assertThat(settings.get("surveycast.db.url")).isEmpty();
        assertThat(Settings.envName("twilio.account-sid")).isEqualTo("TWILIO_ACCOUNT_SID");
    }

    @Test
    void badNumbersAndMissingConfigFilesAreInvalidInput() {
        assertThatThrownBy(() -> Settings.of(Map.of("SURVEYCAST_HTTP_PORT", "eighty")).getInt("surveycast.http.port", 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("SURVEYCAST_HTTP_PORT");
        assertThatThrownBy(() -> Settings.of(Map.of("SURVEYCAST_CONFIG", "/nonexistent.properties")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("/nonexistent.properties");
    }

    @Test
    void clockIsSystemFixedOrOffset() {
        assertThat(ClockFactory.parse(null).instant()).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(
                5, java.time.temporal.ChronoUnit.SECONDS));
        assertThat(ClockFactory.parse("fixed:2026-04-07T10:00:00Z").instant()).hasToString("2026-04-07T10:00:00Z");
        Clock offset = ClockFactory.parse("offset:P30D");
        assertThat(Duration.between(Instant.now(), offset.instant()).toDays()).isBetween(29L, 30L);
        assertThatThrownBy(() -> ClockFactory.parse("fixed:tomorrow")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("SURVEYCAST_CLOCK");
        assertThatThrownBy(() -> ClockFactory.parse("sometimes")).isInstanceOf(InvalidInputException.class);
    }
}
