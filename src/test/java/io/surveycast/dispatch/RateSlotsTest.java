package io.surveycast.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Slots that passed unused are dropped, never caught up; none is used at the very end of its second. */
class RateSlotsTest {
    static final long S = 1_000_000_000L;
    static final long MS = 1_000_000L;

    @Test
    void slotsThatPassedInAnEarlierSecondAreDroppedAndTheRestOfThisSecondIsUsedInOrder() {
        AtomicLong now = new AtomicLong(100 * S + 500 * MS);
        RateSlots slots = new RateSlots(now::get);
        slots.add(99 * S + 600 * MS, 100 * MS, 10); // 99.6 .. 100.5: the first four are in second 99
        assertThat(slots.take()).isEqualTo(100 * S); // in this second, late: still usable
        assertThat(slots.take()).isEqualTo(100 * S + 100 * MS);
        now.set(100 * S + 980 * MS); // late and within 25 ms of the second's end: not used
        assertThat(slots.take()).isEqualTo(-1);
    }

    @Test
    void aSlotInTheLastTenMillisecondsOfItsSecondIsNeverUsed() {
        AtomicLong now = new AtomicLong(10 * S);
        RateSlots slots = new RateSlots(now::get);
        slots.add(10 * S + 992 * MS, 10 * MS, 2);
        assertThat(slots.take()).isEqualTo(11 * S + 2 * MS);
        assertThat(RateSlots.usable(10 * S + 980 * MS, 10 * S + 981 * MS)).isTrue();
        assertThat(RateSlots.usable(10 * S + 980 * MS, 10 * S + 991 * MS)).isFalse();
        assertThat(RateSlots.usable(10 * S + 500 * MS, 10 * S + 974 * MS)).isTrue();
        assertThat(RateSlots.usable(10 * S + 500 * MS, 10 * S + 976 * MS)).isFalse();
        assertThat(RateSlots.usable(10 * S + 990 * MS, 11 * S + 1 * MS)).isFalse();
    }
}
