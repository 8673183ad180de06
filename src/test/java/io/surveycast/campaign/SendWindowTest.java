package io.surveycast.campaign;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class SendWindowTest {

    @Test
    void parsesRangesListsAndWrapAround() {
        SendWindow weekdays = SendWindow.parse("MON-FRI 09:00-17:00");
        assertThat(weekdays.days()).hasSize(5).contains(MONDAY, FRIDAY).doesNotContain(SATURDAY);
        assertThat(weekdays.opens()).isEqualTo(LocalTime.of(9, 0));
        assertThat(weekdays.closes()).isEqualTo(LocalTime.of(17, 0));

        assertThat(SendWindow.parse("mon,wed,fri 8:30-12:00").days()).containsExactlyInAnyOrder(MONDAY, WEDNESDAY, FRIDAY);
        assertThat(SendWindow.parse("SAT-MON 10:00-24:00").days()).containsExactlyInAnyOrder(SATURDAY, SUNDAY, MONDAY);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> SendWindow.parse("weekdays")).hasMessageContaining("expected DAYS HH:MM-HH:MM");
        assertThatThrownBy(() -> SendWindow.parse("MON-FUN 09:00-17:00")).hasMessageContaining("unknown day FUN");
        assertThatThrownBy(() -> SendWindow.parse("MON 17:00-09:00")).hasMessageContaining("close after it opens");
        assertThatThrownBy(() -> SendWindow.parse("MON 9am-5pm")).hasMessageContaining("not a time of day");
    }

    @Test
    void isoOffsetsReadPeriodsAndDurations() {
        assertThat(IsoOffset.parse("P14D").approximate()).isEqualTo(Duration.ofDays(14));
        assertThat(IsoOffset.parse("-P30D").isNegative()).isTrue();
        assertThat(IsoOffset.parse("PT2H").approximate()).isEqualTo(Duration.ofHours(2));
        assertThat(IsoOffset.parse("P1DT12H").approximate()).isEqualTo(Duration.ofHours(36));
        assertThat(IsoOffset.parse("P1M").approximate()).isEqualTo(Duration.ofDays(30));
        assertThat(IsoOffset.parse("P0D").isZero()).isTrue();
        assertThatThrownBy(() -> IsoOffset.parse("14 days")).hasMessageContaining("not an ISO-8601 duration");
    }
}
