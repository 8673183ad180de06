package io.surveycast.dispatch;

import static io.surveycast.db.Tables.CHANNEL_NODE;
import static io.surveycast.db.Tables.CHANNEL_SLOT;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.support.FreshDatabase;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node's share of a channel's concurrency slots: the fair split in SQL, and its use by senders (issue 18.1). */
class SlotShareTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final OutboxQueries queries = new OutboxQueries();
    final Duration lease = Duration.ofSeconds(30);

    OutboxQueries.Share share(String node, int total, int cap) {
        return queries.shareSlots(db.dsl(), "sms", total, cap, node, lease);
    }

    @Test
    void theLiveNodesSplitTheSlotsEvenlyTheRemainderToTheFirstByNameEachAtMostItsCap() {
        queries.createSlots(db.dsl(), "sms", 5);
        assertThat(share("node-a", 5, 5)).as("alone: every slot").isEqualTo(new OutboxQueries.Share(5, 5, 1));
        assertThat(share("node-b", 5, 5)).as("a second node's share, none free yet").isEqualTo(new OutboxQueries.Share(0, 2, 2));
        assertThat(share("node-a", 5, 5)).as("the first now holds more than its share").isEqualTo(new OutboxQueries.Share(5, 3, 2));
        queries.giveBack(db.dsl(), "sms", "node-a", 2);
        assertThat(share("node-b", 5, 5)).isEqualTo(new OutboxQueries.Share(2, 2, 2));
        assertThat(share("node-c", 5, 5)).isEqualTo(new OutboxQueries.Share(0, 1, 3));
        assertThat(share("node-a", 5, 5).target()).isEqualTo(2);
        queries.giveBack(db.dsl(), "sms", "node-a", 1);
        assertThat(share("node-c", 5, 5)).isEqualTo(new OutboxQueries.Share(1, 1, 3));
        assertThat(share("node-b", 5, 5)).isEqualTo(new OutboxQueries.Share(2, 2, 3));
        assertThat(holders()).containsExactly("node-a", "node-a", "node-b", "node-b", "node-c");

        // node-b dies: its row and its slots lapse, and the others take its slots at their next heartbeat
        OffsetDateTime past = OffsetDateTime.now().minusSeconds(1);
        db.dsl().update(CHANNEL_NODE).set(CHANNEL_NODE.ALIVE_UNTIL, past).where(CHANNEL_NODE.NODE.eq("node-b")).execute();
        db.dsl().update(CHANNEL_SLOT).set(CHANNEL_SLOT.HELD_UNTIL, past).where(CHANNEL_SLOT.NODE.eq("node-b")).execute();
        assertThat(share("node-a", 5, 5)).isEqualTo(new OutboxQueries.Share(3, 3, 2));
        assertThat(share("node-c", 5, 5)).isEqualTo(new OutboxQueries.Share(2, 2, 2));

        // node-c leaves: node-a may take every slot, but not beyond its own cap
        queries.leave(db.dsl(), "sms", "node-c");
        assertThat(share("node-a", 5, 4)).isEqualTo(new OutboxQueries.Share(4, 4, 1));
        assertThat(holders()).containsExactly("node-a", "node-a", "node-a", "node-a");
    }

    List<String> holders() {
        return db.dsl().select(CHANNEL_SLOT.NODE).from(CHANNEL_SLOT)
                .where(CHANNEL_SLOT.CHANNEL.eq("sms"), CHANNEL_SLOT.NODE.isNotNull())
                .orderBy(CHANNEL_SLOT.NODE).fetch(CHANNEL_SLOT.NODE);
    }

    /** Shares the scripted answers hand out, one per heartbeat; what was given back. */
    final Deque<OutboxQueries.Share> answers = new ArrayDeque<>();
    final List<Integer> givenBack = new ArrayList<>();
    final SlotShare slots = new SlotShare("sms", answers::removeFirst, givenBack::add);

    @Test
    void aNodeAboveItsShareGivesBackOnlySlotsNoSenderUsesAndSendsOnNoMoreThanItsShare() {
        answers.add(new OutboxQueries.Share(4, 4, 1));
        slots.heartbeat();
        assertThat(slots.acquire(() -> true)).isTrue();
        assertThat(slots.acquire(() -> true)).isTrue();
        assertThat(slots.acquire(() -> true)).isTrue();

        answers.add(new OutboxQueries.Share(4, 1, 2)); // another node joined: this one's share is 1
        slots.heartbeat();
        assertThat(givenBack).as("the one slot not in use").containsExactly(1);
        assertThat(slots.usable()).isEqualTo(1);
        assertThat(slots.acquire(() -> true)).as("three senders busy, share 1: no fourth").isFalse();

        slots.release();
        slots.release();
        assertThat(slots.acquire(() -> true)).as("still one busy: at its share").isFalse();
        answers.add(new OutboxQueries.Share(3, 1, 2));
        slots.heartbeat();
        assertThat(givenBack).containsExactly(1, 2);
        slots.release();
        assertThat(slots.acquire(() -> true)).isTrue();
    }

    @Test
    void noSlotIsTakenOnceTheHoldMayHaveLapsedUntilAHeartbeatRenewsIt() throws Exception {
        answers.add(new OutboxQueries.Share(2, 2, 1));
        slots.heartbeat();
        assertThat(slots.acquire(() -> true)).isTrue();
        slots.release();
        Thread.sleep(SlotShare.LEASE.toMillis() / 2 + 100); // no heartbeat: another node may take the slots soon
        assertThat(slots.acquire(() -> true)).isFalse();
        answers.add(new OutboxQueries.Share(2, 2, 1));
        slots.heartbeat();
        assertThat(slots.acquire(() -> true)).isTrue();
    }
}
