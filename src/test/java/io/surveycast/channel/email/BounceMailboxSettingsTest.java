package io.surveycast.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surveycast.config.InvalidInputException;
import io.surveycast.config.Settings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BounceMailboxSettingsTest {

    @Test
    void noHostMeansNoMailboxAndARouteThatDoesNotStart() {
        assertThat(BounceMailbox.fromSettings(Settings.of(Map.of()))).isNull();
        assertThat(BounceMailbox.routeProperties(null)).containsEntry("surveycast.bounce.enabled", "false");
    }

    @Test
    void defaultsAreImapsOn993MarkingMailSeenEveryMinute() {
        BounceMailbox mailbox = BounceMailbox.fromSettings(Settings.of(Map.of("SURVEYCAST_BOUNCE_IMAP_HOST", "imap.example.com",
                "SURVEYCAST_BOUNCE_IMAP_USERNAME", "bounces", "SURVEYCAST_BOUNCE_IMAP_PASSWORD", "a(b)c")));

        assertThat(mailbox.port()).isEqualTo(993);
        assertThat(mailbox.delete()).isFalse();
        assertThat(mailbox.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(BounceMailbox.routeProperties(mailbox)).containsEntry("surveycast.bounce.protocol", "imaps")
                .containsEntry("surveycast.bounce.password", "RAW{a(b)c}").containsEntry("surveycast.bounce.delay", "60000");
    }

    @Test
    void badSettingsAreNamed() {
        assertBad(Map.of("SURVEYCAST_BOUNCE_IMAP_TLS", "ssl"), "SURVEYCAST_BOUNCE_IMAP_TLS");
        assertBad(Map.of("SURVEYCAST_BOUNCE_IMAP_USERNAME", ""), "SURVEYCAST_BOUNCE_IMAP_USERNAME");
        assertBad(Map.of("SURVEYCAST_BOUNCE_IMAP_INTERVAL", "60"), "SURVEYCAST_BOUNCE_IMAP_INTERVAL");
        assertBad(Map.of("SURVEYCAST_BOUNCE_IMAP_PORT", "imap"), "SURVEYCAST_BOUNCE_IMAP_PORT");
        assertBad(Map.of("SURVEYCAST_BOUNCE_IMAP_DELETE", "yes"), "SURVEYCAST_BOUNCE_IMAP_DELETE");
    }

    private static void assertBad(Map<String, String> bad, String named) {
        Map<String, String> env = new HashMap<>(Map.of("SURVEYCAST_BOUNCE_IMAP_HOST", "imap.example.com",
                "SURVEYCAST_BOUNCE_IMAP_USERNAME", "bounces"));
        env.putAll(bad);
        assertThatThrownBy(() -> BounceMailbox.fromSettings(Settings.of(env)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(named);
    }
}
