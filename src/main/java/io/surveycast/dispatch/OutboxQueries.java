package io.surveycast.dispatch;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CHANNEL_RATE;
import static io.surveycast.db.Tables.CHANNEL_SLOT;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.exists;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;

import io.surveycast.db.tables.Message;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** The SQL of the outbox: claiming due messages, reading what sending them needs, recording outcomes. */
final class OutboxQueries {
    /** Real time, not the process clock: claims and rate slots are about this machine's seconds. */
    private static final Field<OffsetDateTime> WALL = field("clock_timestamp()", SQLDataType.TIMESTAMPWITHTIMEZONE);

    /**
     * Claims up to {@code limit} queued messages of the channel that are due at {@code now} and not
     * held by a live claim, for {@code lease}. Other nodes skip the rows locked here.
     */
    List<Long> claim(DSLContext dsl, String channel, Instant now, int limit, String claim, Duration lease) {
        var due = select(MESSAGE.ID).from(MESSAGE)
                .where(MESSAGE.STATUS.eq("queued"), MESSAGE.CHANNEL.eq(channel), MESSAGE.NOT_BEFORE.le(utc(now)),
                        MESSAGE.CLAIMED_UNTIL.isNull().or(MESSAGE.CLAIMED_UNTIL.lt(WALL)))
                .orderBy(MESSAGE.NOT_BEFORE)
                .limit(limit)
                .forUpdate().skipLocked();
        return dsl.update(MESSAGE)
                .set(MESSAGE.CLAIMED_BY, claim)
                .set(MESSAGE.CLAIMED_UNTIL, wallPlus(lease))
                .set(MESSAGE.ATTEMPTS, MESSAGE.ATTEMPTS.plus(1))
                .where(MESSAGE.ID.in(due))
                .returning(MESSAGE.ID)
                .fetch(MESSAGE.ID);
    }

    /**
     * Renews this node's claim on a message just before it is handed to the channel; false when the
     * claim was lost (it expired and another node took the message), so it must not be sent here.
     */
    boolean confirm(DSLContext dsl, long messageId, String claim, Duration lease) {
        return dsl.update(MESSAGE)
                .set(MESSAGE.CLAIMED_UNTIL, wallPlus(lease))
                .where(MESSAGE.ID.eq(messageId), MESSAGE.CLAIMED_BY.eq(claim), MESSAGE.STATUS.eq("queued"))
                .execute() == 1;
    }

    /** Whether any message of the channels is due at {@code now} and still queued (claimed or not). */
    boolean anyDue(DSLContext dsl, Instant now) {
        return dsl.fetchExists(selectOne().from(MESSAGE)
                .where(MESSAGE.STATUS.eq("queued"), MESSAGE.NOT_BEFORE.le(utc(now))));
    }

    /** Gives each invitation of the claimed messages its survey token, if it has none yet. */
    void assignTokens(DSLContext dsl, List<Long> messageIds) {
        dsl.update(INVITATION)
                .set(INVITATION.TOKEN, field("translate(encode(uuid_send(gen_random_uuid()), 'base64'), '+/=', '-_')",
                        String.class))
                .where(INVITATION.TOKEN.isNull(),
                        INVITATION.ID.in(select(MESSAGE.INVITATION_ID).from(MESSAGE).where(MESSAGE.ID.in(messageIds))))
                .execute();
    }

    List<ClaimedMessage> load(DSLContext dsl, List<Long> messageIds, Instant now) {
        Message other = MESSAGE.as("other");
        Message recent = MESSAGE.as("recent");
        var invitation2 = INVITATION.as("i2");
        OffsetDateTime at = utc(now);
        Field<OffsetDateTime[]> recentSends = field(select(DSL.arrayAgg(recent.SENT_AT).orderBy(recent.SENT_AT.desc()))
                .from(recent)
                .where(recent.CONTACT_ID.eq(MESSAGE.CONTACT_ID), recent.STATUS.in("sent", "delivered"),
                        recent.SENT_AT.gt(at.minusDays(7)), recent.SENT_AT.le(at)));
        Field<OffsetDateTime> lastOtherInvite = field(select(max(other.SENT_AT))
                .from(other).join(invitation2).on(invitation2.ID.eq(other.INVITATION_ID))
                .where(other.CONTACT_ID.eq(MESSAGE.CONTACT_ID), other.KIND.eq("invite"),
                        other.STATUS.in("sent", "delivered"), other.INVITATION_ID.ne(MESSAGE.INVITATION_ID)));
        Field<Boolean> suppressed = field(exists(selectOne().from(SUPPRESSION)
                .where(SUPPRESSION.CONTACT_ID.eq(MESSAGE.CONTACT_ID), SUPPRESSION.CHANNEL.eq(MESSAGE.CHANNEL))));
        Field<Boolean> responded = field(exists(selectOne().from(RESPONSE)
                .where(RESPONSE.INVITATION_ID.eq(MESSAGE.INVITATION_ID))));
        Field<String> zone = coalesce(CONTACT.TIMEZONE, CONTACT.PHONE_TIMEZONE,
                field("{0} ->> 'timezone'", String.class, CAMPAIGN.DEFINITION), inline("UTC"));
        Field<String> attributes = CONTACT.ATTRIBUTES.cast(String.class).as("attributes");
        Field<String> zoneAs = zone.as("zone");
        Field<Boolean> suppressedAs = suppressed.as("suppressed");
        Field<Boolean> respondedAs = responded.as("responded");
        Field<OffsetDateTime[]> recentAs = recentSends.as("recent_sends");
        Field<OffsetDateTime> lastOtherAs = lastOtherInvite.as("last_other_invite");
        return dsl.select(MESSAGE.ID, MESSAGE.INVITATION_ID, MESSAGE.CONTACT_ID, INVITATION.CAMPAIGN_ID, MESSAGE.KIND,
                        MESSAGE.STEP, MESSAGE.CHANNEL, MESSAGE.NOT_BEFORE, MESSAGE.ATTEMPTS, INVITATION.STATUS,
                        INVITATION.EXPIRES_AT, INVITATION.TOKEN, CONTACT.EXTERNAL_ID, CONTACT.EMAIL, CONTACT.PHONE,
                        CONTACT.NAME, CONTACT.LOCALE, zoneAs, attributes, suppressedAs, respondedAs, recentAs, lastOtherAs)
                .from(MESSAGE)
                .join(INVITATION).on(INVITATION.ID.eq(MESSAGE.INVITATION_ID))
                .join(CONTACT).on(CONTACT.ID.eq(MESSAGE.CONTACT_ID))
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                .where(MESSAGE.ID.in(messageIds))
                .orderBy(MESSAGE.NOT_BEFORE, MESSAGE.ID)
                .fetch(r -> new ClaimedMessage(r.get(MESSAGE.ID), r.get(MESSAGE.INVITATION_ID), r.get(MESSAGE.CONTACT_ID),
                        r.get(INVITATION.CAMPAIGN_ID), r.get(MESSAGE.KIND), r.get(MESSAGE.STEP), r.get(MESSAGE.CHANNEL),
                        r.get(MESSAGE.NOT_BEFORE).toInstant(), r.get(MESSAGE.ATTEMPTS), r.get(INVITATION.STATUS),
                        instant(r.get(INVITATION.EXPIRES_AT)), r.get(INVITATION.TOKEN), r.get(CONTACT.EXTERNAL_ID),
                        r.get(CONTACT.EMAIL), r.get(CONTACT.PHONE), r.get(CONTACT.NAME), r.get(CONTACT.LOCALE),
                        r.get(zoneAs), r.get(attributes), Boolean.TRUE.equals(r.get(suppressedAs)),
                        Boolean.TRUE.equals(r.get(respondedAs)), instants(r.get(recentAs)), instant(r.get(lastOtherAs))));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    /**
     * Records a group of sent messages, and for the invites their invitations, in one statement:
     * arrays of ids, provider ids, segment counts and sent times, element by element. Rendered from
     * the generated tables once; it runs for every few messages sent.
     */
    void markSent(DSLContext dsl, Long[] ids, String[] providerIds, Integer[] segments, Instant[] sentAt) {
        // straight to JDBC: jOOQ's plain-SQL execution re-reads the statement text on every call,
        // which cost more than the statement itself
        dsl.connection(c -> {
            try (var statement = c.prepareStatement(MARK_SENT)) {
                statement.setArray(1, c.createArrayOf("int8", ids));
                statement.setArray(2, c.createArrayOf("text", providerIds));
                statement.setArray(3, c.createArrayOf("int4", segments));
                statement.setArray(4, c.createArrayOf("text", Arrays.stream(sentAt).map(Instant::toString).toArray()));
                statement.executeUpdate();
            }
        });
    }

    private static final String MARK_SENT = markSentStatement();

    private static String markSentStatement() {
        var sent = DSL.table("unnest(cast({0} as bigint[]), cast({1} as text[]), cast({2} as integer[]), "
                        + "cast(cast({3} as text[]) as timestamptz[])) as s(id, provider_id, segments, sent_at)",
                DSL.param("ids"), DSL.param("provider_ids"), DSL.param("segments"), DSL.param("sent_at"));
        Field<Long> id = field(DSL.name("s", "id"), Long.class);
        Field<OffsetDateTime> at = field(DSL.name("s", "sent_at"), OffsetDateTime.class);
        var messages = DSL.update(MESSAGE)
                .set(MESSAGE.STATUS, inline("sent"))
                .set(MESSAGE.SENT_AT, at)
                .set(MESSAGE.PROVIDER_ID, field(DSL.name("s", "provider_id"), String.class))
                .set(MESSAGE.SEGMENTS, field(DSL.name("s", "segments"), Integer.class))
                .set(MESSAGE.LAST_ERROR, inline((String) null))
                .set(MESSAGE.CLAIMED_BY, inline((String) null))
                .set(MESSAGE.CLAIMED_UNTIL, inline((OffsetDateTime) null))
                .set(MESSAGE.UPDATED_AT, at)
                .from(sent)
                .where(MESSAGE.ID.eq(id))
                .returning(MESSAGE.INVITATION_ID, MESSAGE.KIND, MESSAGE.SENT_AT);
        var done = DSL.table(DSL.name("done"));
        return DSL.using(SQLDialect.POSTGRES).render(DSL.with(DSL.name("done")).as(messages)
                .update(INVITATION)
                .set(INVITATION.STATUS, inline("sent"))
                .set(INVITATION.SENT_AT, field(DSL.name("done", "sent_at"), OffsetDateTime.class))
                .from(done)
                .where(INVITATION.ID.eq(field(DSL.name("done", "invitation_id"), Long.class)),
                        field(DSL.name("done", "kind"), String.class).eq(inline("invite")),
                        INVITATION.STATUS.eq(inline("planned"))));
    }

    /** Back in the queue for {@code notBefore}; {@code countAttempt} false when the provider only asked us to slow down. */
    void requeue(DSLContext dsl, ClaimedMessage m, Instant notBefore, String error, boolean countAttempt,
                 Duration hold, Instant now) {
        dsl.update(MESSAGE)
                .set(MESSAGE.NOT_BEFORE, utc(notBefore))
                .set(MESSAGE.NEXT_ATTEMPT_AT, error == null ? MESSAGE.NEXT_ATTEMPT_AT : DSL.val(utc(notBefore)))
                .set(MESSAGE.LAST_ERROR, error == null ? MESSAGE.LAST_ERROR : DSL.val(error))
                .set(MESSAGE.ATTEMPTS, countAttempt ? MESSAGE.ATTEMPTS : MESSAGE.ATTEMPTS.minus(1))
                .set(MESSAGE.CLAIMED_BY, (String) null)
                .set(MESSAGE.CLAIMED_UNTIL, hold == null ? null : wallPlus(hold))
                .set(MESSAGE.UPDATED_AT, utc(now))
                .where(MESSAGE.ID.eq(m.id()))
                .execute();
    }

    void markFailed(DSLContext dsl, ClaimedMessage m, String error, Instant now) {
        finish(dsl, m, "failed", error, now);
        if (m.isInvite()) {
            dsl.update(INVITATION).set(INVITATION.STATUS, "failed")
                    .where(INVITATION.ID.eq(m.invitationId()), INVITATION.STATUS.eq("planned"))
                    .execute();
        }
    }

    /** Not sent, on purpose ({@code reason}: suppressed, expired, responded, fatigue, no_channel). */
    void cancel(DSLContext dsl, ClaimedMessage m, String reason, Instant now) {
        finish(dsl, m, "cancelled", reason, now);
        if (m.isInvite() && !reason.equals("responded")) {
            dsl.update(INVITATION)
                    .set(INVITATION.STATUS, reason.equals("expired") ? "expired" : "skipped")
                    .set(INVITATION.SKIP_REASON, reason.equals("expired") ? null : reason)
                    .where(INVITATION.ID.eq(m.invitationId()), INVITATION.STATUS.eq("planned"))
                    .execute();
        }
    }

    private void finish(DSLContext dsl, ClaimedMessage m, String status, String error, Instant now) {
        dsl.update(MESSAGE)
                .set(MESSAGE.STATUS, status)
                .set(MESSAGE.LAST_ERROR, error)
                .set(MESSAGE.CLAIMED_BY, (String) null)
                .set(MESSAGE.CLAIMED_UNTIL, (OffsetDateTime) null)
                .set(MESSAGE.UPDATED_AT, utc(now))
                .where(MESSAGE.ID.eq(m.id()))
                .execute();
    }

    void suppress(DSLContext dsl, long contactId, String channel, String reason, String source, Instant now) {
        dsl.insertInto(SUPPRESSION)
                .set(SUPPRESSION.CONTACT_ID, contactId)
                .set(SUPPRESSION.CHANNEL, channel)
                .set(SUPPRESSION.REASON, reason)
                .set(SUPPRESSION.AT, utc(now))
                .set(SUPPRESSION.SOURCE, source)
                .onConflictDoNothing()
                .execute();
    }

    /**
     * Reserves {@code n} consecutive sending slots of the channel at {@code perSecond} and returns
     * when the first one starts (real time); the reservation is shared by every node.
     */
    Instant reserveSlots(DSLContext dsl, String channel, int n, double perSecond) {
        Duration span = Duration.ofNanos((long) (n * 1_000_000_000L / perSecond));
        Record r = dsl.update(CHANNEL_RATE)
                .set(CHANNEL_RATE.NEXT_SLOT, field("greatest({0}, clock_timestamp()) + make_interval(secs => {1})",
                        SQLDataType.TIMESTAMPWITHTIMEZONE, CHANNEL_RATE.NEXT_SLOT, DSL.val(seconds(span))))
                .where(CHANNEL_RATE.CHANNEL.eq(channel))
                .returning(CHANNEL_RATE.NEXT_SLOT)
                .fetchOne();
        return r.get(CHANNEL_RATE.NEXT_SLOT).toInstant().minus(span);
    }

    /** Makes sure the channel has rows for its {@code total} sending slots (a node may be configured for more). */
    void createSlots(DSLContext dsl, String channel, int total) {
        dsl.insertInto(CHANNEL_SLOT, CHANNEL_SLOT.CHANNEL, CHANNEL_SLOT.SLOT)
                .select(DSL.select(DSL.inline(channel), DSL.field("s", Integer.class))
                        .from(DSL.table("generate_series(0, {0} - 1) as g(s)", DSL.val(total))))
                .onConflictDoNothing()
                .execute();
    }

    /**
     * Leases up to {@code wanted} of the channel's {@code total} sending slots for this node (slots
     * another node holds past their lease are taken over) and returns how many it got.
     */
    int leaseSlots(DSLContext dsl, String channel, int total, int wanted, String node, Duration lease) {
        var free = DSL.select(CHANNEL_SLOT.SLOT).from(CHANNEL_SLOT)
                .where(CHANNEL_SLOT.CHANNEL.eq(channel), CHANNEL_SLOT.SLOT.lt(total),
                        CHANNEL_SLOT.NODE.isNull().or(CHANNEL_SLOT.HELD_UNTIL.lt(WALL)).or(CHANNEL_SLOT.NODE.eq(node)))
                .orderBy(CHANNEL_SLOT.SLOT)
                .limit(wanted)
                .forUpdate().skipLocked();
        return dsl.update(CHANNEL_SLOT)
                .set(CHANNEL_SLOT.NODE, node)
                .set(CHANNEL_SLOT.HELD_UNTIL, wallPlus(lease))
                .where(CHANNEL_SLOT.CHANNEL.eq(channel), CHANNEL_SLOT.SLOT.in(free))
                .execute();
    }

    void renewSlots(DSLContext dsl, String channel, String node, Duration lease) {
        dsl.update(CHANNEL_SLOT)
                .set(CHANNEL_SLOT.HELD_UNTIL, wallPlus(lease))
                .where(CHANNEL_SLOT.CHANNEL.eq(channel), CHANNEL_SLOT.NODE.eq(node))
                .execute();
    }

    void releaseSlots(DSLContext dsl, String channel, String node) {
        dsl.update(CHANNEL_SLOT)
                .set(CHANNEL_SLOT.NODE, (String) null)
                .set(CHANNEL_SLOT.HELD_UNTIL, (OffsetDateTime) null)
                .where(CHANNEL_SLOT.CHANNEL.eq(channel), CHANNEL_SLOT.NODE.eq(node))
                .execute();
    }

    /** The provider asked to slow down: nobody sends on the channel before {@code pause} from now. */
    void pauseChannel(DSLContext dsl, String channel, Duration pause) {
        dsl.update(CHANNEL_RATE)
                .set(CHANNEL_RATE.NEXT_SLOT, DSL.greatest(CHANNEL_RATE.NEXT_SLOT, wallPlus(pause)))
                .where(CHANNEL_RATE.CHANNEL.eq(channel))
                .execute();
    }

    private static Field<OffsetDateTime> wallPlus(Duration d) {
        return field("clock_timestamp() + make_interval(secs => {0})", SQLDataType.TIMESTAMPWITHTIMEZONE,
                DSL.val(seconds(d)));
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static List<Instant> instants(OffsetDateTime[] values) {
        return values == null ? List.of() : Arrays.stream(values).map(OffsetDateTime::toInstant).toList();
    }
}
