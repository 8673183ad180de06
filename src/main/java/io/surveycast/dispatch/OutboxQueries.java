package io.surveycast.dispatch;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CHANNEL_NODE;
import static io.surveycast.db.Tables.CHANNEL_RATE;
import static io.surveycast.db.Tables.CHANNEL_SLOT;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.DISPATCH_CLAIM;
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

import io.surveycast.consent.Suppressions;
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
import org.jooq.Select;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** The SQL of the outbox: claiming due messages, reading what sending them needs, recording outcomes. */
final class OutboxQueries {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OutboxQueries.class);
    /** Real time, not the process clock: claims and rate slots are about this machine's seconds. */
    private static final List<String> CHANNELS = List.of("email", "sms");
    private static final Field<OffsetDateTime> WALL = field("clock_timestamp()", SQLDataType.TIMESTAMPWITHTIMEZONE);

    /**
     * Claims up to {@code limit} queued messages of the channel that are due at {@code now} and in
     * no live batch, as the batch {@code claim} held for {@code lease}, and reads what sending them
     * needs. A batch is one row of {@code dispatch_claim} listing its message ids (V12): the
     * messages themselves are not written. Claimers of a channel take turns under an advisory
     * lock, each in a statement that sees every batch committed before it; the due rows are still
     * locked {@code FOR UPDATE SKIP LOCKED}, so a message that another transaction is changing
     * (a response cancelling it) is left for the next pass rather than waited for. A message's
     * invitation token is null until its first send is recorded (see {@link SurveyTokens}).
     */
    List<ClaimedMessage> claim(DSLContext dsl, String channel, Instant now, int limit, String claim, Duration lease) {
        return dsl.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            lock(t, "surveycast.claim." + channel);
            // and one lock for every channel, taken second: a claim sees the batches of the other
            // channels claimed before it, whose messages count in the weekly cap as sent (SendChecks)
            lock(t, "surveycast.claim.cap");
            takeOverExpired(t, channel);
            return claimAndRead(t, channel, now, limit, claim, lease);
        });
    }

    /** Takes the transaction-scoped advisory lock named {@code name}. */
    private static void lock(DSLContext tx, String name) {
        tx.select(field("pg_advisory_xact_lock(hashtext({0}))", Object.class, DSL.val(name))).fetch();
    }

    /**
     * Batches whose lease ran out (their node died or stalled) are dropped, so their messages still
     * queued can be claimed again; the attempt cut short counts.
     */
    private static void takeOverExpired(DSLContext t, String channel) {
        var expired = t.deleteFrom(DISPATCH_CLAIM)
                .where(DISPATCH_CLAIM.CHANNEL.eq(channel), DISPATCH_CLAIM.HELD_UNTIL.lt(WALL))
                .returning(DISPATCH_CLAIM.NAME, DISPATCH_CLAIM.MESSAGE_IDS)
                .fetch();
        if (expired.isEmpty()) {
            return; // the usual case: one statement that found nothing
        }
        Long[] ids = expired.stream().flatMap(r -> Arrays.stream(r.getMessageIds())).toArray(Long[]::new);
        int queued = t.update(MESSAGE)
                .set(MESSAGE.ATTEMPTS, MESSAGE.ATTEMPTS.plus(1))
                .where(MESSAGE.STATUS.eq("queued"), MESSAGE.ID.eq(DSL.any(ids)))
                .execute();
        var nodes = expired.stream().map(r -> r.getName().replaceFirst("#\\d+$", "")).distinct().toList();
        LOG.warn("{}: took over {} batches of {} whose lease ran out ({} messages, {} still to send)", channel,
                expired.size(), nodes.size() == 1 ? "node " + nodes.get(0) : nodes.size() + " nodes " + nodes,
                ids.length, queued);
    }

    /** The messages of a channel due at {@code now}, queued and held by no batch, oldest first, locked. */
    static Select<?> dueMessages(String channel, Instant now, int limit) {
        var held = select(field("unnest({0})", Long.class, DISPATCH_CLAIM.MESSAGE_IDS)).from(DISPATCH_CLAIM)
                .where(DISPATCH_CLAIM.CHANNEL.eq(channel));
        return select(MESSAGE.ID, MESSAGE.INVITATION_ID, MESSAGE.CONTACT_ID, MESSAGE.KIND,
                        MESSAGE.STEP, MESSAGE.CHANNEL, MESSAGE.NOT_BEFORE, MESSAGE.ATTEMPTS.plus(1).as(MESSAGE.ATTEMPTS))
                .from(MESSAGE)
                // the status inlined: with a bind value PostgreSQL's generic plan (after five runs) cannot use
                // the partial index message_claim and scans every message (seconds at millions of messages)
                .where(MESSAGE.STATUS.eq(inline("queued")), MESSAGE.CHANNEL.eq(channel), MESSAGE.NOT_BEFORE.le(utc(now)),
                        MESSAGE.HELD_UNTIL.isNull().or(MESSAGE.HELD_UNTIL.lt(WALL)), MESSAGE.ID.notIn(held))
                .orderBy(MESSAGE.NOT_BEFORE)
                .limit(limit)
                .forUpdate().skipLocked();
    }

    private static List<ClaimedMessage> claimAndRead(DSLContext t, String channel, Instant now, int limit, String claim,
                                                     Duration lease) {
        var due = DSL.name("due").as(dueMessages(channel, now, limit));
        Field<Long> id = due.field(MESSAGE.ID);
        var batch = DSL.name("batch").as(DSL.insertInto(DISPATCH_CLAIM, DISPATCH_CLAIM.NAME, DISPATCH_CLAIM.CHANNEL,
                        DISPATCH_CLAIM.MESSAGE_IDS, DISPATCH_CLAIM.HELD_UNTIL)
                .select(select(DSL.val(claim), DSL.val(channel), DSL.arrayAgg(id), wallPlus(lease))
                        .from(due).having(DSL.count().gt(0)))
                .returning(DISPATCH_CLAIM.NAME));
        Field<Long> invitationId = due.field(MESSAGE.INVITATION_ID);
        Field<Long> contactId = due.field(MESSAGE.CONTACT_ID);
        Field<String> kind = due.field(MESSAGE.KIND);
        Field<Integer> step = due.field(MESSAGE.STEP);
        Field<String> channelOf = due.field(MESSAGE.CHANNEL);
        Field<OffsetDateTime> notBefore = due.field(MESSAGE.NOT_BEFORE);
        Field<Integer> attempts = due.field(MESSAGE.ATTEMPTS);
        Message recent = MESSAGE.as("recent");
        OffsetDateTime at = utc(now);
        // the contact's sent messages, read once for both facts the checks need; for the weekly cap
        // also those sent later than this pass's instant (a pass stamps its sends with the instant
        // plus the time elapsed) and those in another live batch of any channel (claimed, about to
        // go: counted as sent now), so two messages of one pass see each other
        var inFlight = select(field("unnest({0})", Long.class, DISPATCH_CLAIM.MESSAGE_IDS)).from(DISPATCH_CLAIM)
                .where(DISPATCH_CLAIM.NAME.ne(claim));
        Field<OffsetDateTime> sentOrNow = coalesce(recent.SENT_AT, DSL.val(at));
        var history = select(
                        DSL.arrayAgg(sentOrNow).orderBy(sentOrNow.desc())
                                .filterWhere(recent.STATUS.in("sent", "delivered").and(recent.SENT_AT.gt(at.minusDays(7)))
                                        .or(recent.STATUS.eq("queued").and(recent.ID.in(inFlight))))
                                .as("recent_sends"),
                        max(recent.SENT_AT).filterWhere(recent.KIND.eq("invite"), recent.INVITATION_ID.ne(invitationId))
                                .as("last_other_invite"))
                .from(recent)
                .where(recent.CONTACT_ID.eq(contactId), recent.STATUS.in("sent", "delivered", "queued"),
                        recent.ID.ne(id))
                .asTable("history");
        Field<OffsetDateTime[]> recentSends = history.field("recent_sends", OffsetDateTime[].class);
        Field<OffsetDateTime> lastOtherInvite = history.field("last_other_invite", OffsetDateTime.class);
        Field<Boolean> suppressed = field(exists(selectOne().from(SUPPRESSION)
                .where(SUPPRESSION.CONTACT_ID.eq(contactId), SUPPRESSION.CHANNEL.eq(channelOf))));
        Field<Boolean> responded = field(exists(selectOne().from(RESPONSE)
                .where(RESPONSE.INVITATION_ID.eq(invitationId))));
        // the latest answer, for the promoter follow-up email (sent only while it is a promoter's)
        Field<Short> score = field(select(RESPONSE.SCORE).from(RESPONSE).where(RESPONSE.INVITATION_ID.eq(invitationId)))
                .as("score");
        // the invitation and the contact of each claimed message by their keys: as plain joins the
        // planner hashes whole tables for a batch of 500 (it cannot see that few rows are wanted)
        var invitation = select(INVITATION.CAMPAIGN_ID, INVITATION.STATUS, INVITATION.EXPIRES_AT, INVITATION.TOKEN)
                .from(INVITATION).where(INVITATION.ID.eq(invitationId)).offset(0).asTable("inv");
        var contact = select(CONTACT.EXTERNAL_ID, CONTACT.EMAIL, CONTACT.PHONE, CONTACT.NAME, CONTACT.LOCALE,
                        CONTACT.TIMEZONE, CONTACT.PHONE_TIMEZONE, CONTACT.PHONE_ZONES,
                        CONTACT.ATTRIBUTES.cast(String.class).as("attributes"))
                .from(CONTACT).where(CONTACT.ID.eq(contactId)).offset(0).asTable("ct");
        Field<Long> campaignId = invitation.field(INVITATION.CAMPAIGN_ID);
        // the zone chain (V16 contact_zones): every zone the contact may be in, comma-separated
        Field<String> zone = field("array_to_string(contact_zones({0}, {1}, {2}, coalesce({3} ->> 'timezone', 'UTC')), ',')",
                String.class, contact.field(CONTACT.TIMEZONE), contact.field(CONTACT.PHONE_ZONES),
                contact.field(CONTACT.PHONE_TIMEZONE), CAMPAIGN.DEFINITION).as("zone");
        Field<String> status = invitation.field(INVITATION.STATUS);
        Field<OffsetDateTime> expiresAt = invitation.field(INVITATION.EXPIRES_AT);
        Field<String> token = invitation.field(INVITATION.TOKEN);
        Field<String> externalId = contact.field(CONTACT.EXTERNAL_ID);
        Field<String> email = contact.field(CONTACT.EMAIL);
        Field<String> phone = contact.field(CONTACT.PHONE);
        Field<String> name = contact.field(CONTACT.NAME);
        Field<String> locale = contact.field(CONTACT.LOCALE);
        Field<String> attributes = contact.field("attributes", String.class);
        Field<Boolean> isSuppressed = suppressed.as("suppressed");
        Field<Boolean> hasResponded = responded.as("responded");
        return t.with(due).with(batch)
                .select(id, invitationId, contactId, campaignId, kind, step, channelOf, notBefore, attempts,
                        status, expiresAt, token, externalId, email, phone, name, locale, zone, attributes,
                        isSuppressed, hasResponded, recentSends, lastOtherInvite, score)
                .from(due)
                .crossJoin(DSL.lateral(invitation))
                .crossJoin(DSL.lateral(contact))
                .crossJoin(DSL.lateral(history))
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(campaignId))
                .orderBy(notBefore, id)
                .fetch(r -> new ClaimedMessage(r.get(id), r.get(invitationId), r.get(contactId), r.get(campaignId),
                        r.get(kind), r.get(step), r.get(channelOf), r.get(notBefore).toInstant(), r.get(attempts),
                        r.get(status), instant(r.get(expiresAt)), r.get(token), r.get(externalId), r.get(email),
                        r.get(phone), r.get(name), r.get(locale), r.get(zone), r.get(attributes),
                        Boolean.TRUE.equals(r.get(isSuppressed)), Boolean.TRUE.equals(r.get(hasResponded)),
                        instants(r.get(recentSends)), instant(r.get(lastOtherInvite)),
                        r.get(score) == null ? null : r.get(score).intValue()));
    }

    /**
     * Renews the batch {@code claim} just before one of its messages is handed to the channel;
     * false when the batch was taken over (its lease ran out and another node may have claimed its
     * messages) or the message is no longer queued, so it must not be sent here. A takeover deletes
     * the batch's row under the claim lock, so this update either renews it first or finds it gone.
     */
    boolean confirm(DSLContext dsl, long messageId, String claim, Duration lease) {
        return dsl.update(DISPATCH_CLAIM)
                .set(DISPATCH_CLAIM.HELD_UNTIL, wallPlus(lease))
                .where(DISPATCH_CLAIM.NAME.eq(claim),
                        exists(selectOne().from(MESSAGE).where(MESSAGE.ID.eq(messageId), MESSAGE.STATUS.eq("queued"))))
                .execute() == 1;
    }

    /** Holds the batch for {@code lease} from now; false when it was taken over meanwhile. */
    boolean hold(DSLContext dsl, String claim, Duration lease) {
        return dsl.update(DISPATCH_CLAIM).set(DISPATCH_CLAIM.HELD_UNTIL, wallPlus(lease))
                .where(DISPATCH_CLAIM.NAME.eq(claim)).execute() == 1;
    }

    /** After the checks: the batch keeps only the messages that go on to the channel. */
    void keepOnly(DSLContext dsl, String claim, Long[] messageIds) {
        dsl.update(DISPATCH_CLAIM).set(DISPATCH_CLAIM.MESSAGE_IDS, messageIds).where(DISPATCH_CLAIM.NAME.eq(claim)).execute();
    }

    /** The batch is done (every outcome recorded): its messages no longer need holding. */
    void release(DSLContext dsl, String claim) {
        dsl.deleteFrom(DISPATCH_CLAIM).where(DISPATCH_CLAIM.NAME.eq(claim)).execute();
    }

    /** Whether any message of the channels is due at {@code now} and still queued (claimed or not). */
    boolean anyDue(DSLContext dsl, Instant now) {
        return dsl.fetchValue(dueProbe(now));
    }

    /** anyDue's statement: one probe of the index message_claim (the status inlined, as in dueMessages). */
    static Select<org.jooq.Record1<Boolean>> dueProbe(Instant now) {
        return select(DSL.field(exists(selectOne().from(MESSAGE)
                .where(MESSAGE.STATUS.eq(inline("queued")), MESSAGE.CHANNEL.in(CHANNELS), MESSAGE.NOT_BEFORE.le(utc(now))))));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    /**
     * Records a group of sent messages, and for the invites their invitations (sent, with the survey
     * token the message carried), in one statement: arrays of ids, provider ids, segment counts,
     * sent times and tokens, element by element. Rendered from the generated tables once; it runs
     * for every few messages sent.
     */
    void markSent(DSLContext dsl, Long[] ids, String[] providerIds, Integer[] segments, Instant[] sentAt, String[] tokens) {
        // straight to JDBC: jOOQ's plain-SQL execution re-reads the statement text on every call,
        // which cost more than the statement itself
        dsl.connection(c -> {
            try (var statement = c.prepareStatement(MARK_SENT)) {
                statement.setArray(1, c.createArrayOf("int8", ids));
                statement.setArray(2, c.createArrayOf("text", providerIds));
                statement.setArray(3, c.createArrayOf("int4", segments));
                statement.setArray(4, c.createArrayOf("text", Arrays.stream(sentAt).map(Instant::toString).toArray()));
                statement.setArray(5, c.createArrayOf("text", tokens));
                statement.executeUpdate();
            }
        });
    }

    private static final String MARK_SENT = markSentStatement();

    private static String markSentStatement() {
        var sent = DSL.table("""
                        unnest(cast({0} as bigint[]), cast({1} as text[]), cast({2} as integer[]),
                               cast(cast({3} as text[]) as timestamptz[]), cast({4} as text[])) as s(id, provider_id, segments, sent_at, token)""",
                DSL.param("ids"), DSL.param("provider_ids"), DSL.param("segments"), DSL.param("sent_at"),
                DSL.param("tokens"));
        Field<Long> id = field(DSL.name("s", "id"), Long.class);
        Field<OffsetDateTime> at = field(DSL.name("s", "sent_at"), OffsetDateTime.class);
        Field<String> token = field(DSL.name("s", "token"), String.class);
        var messages = DSL.update(MESSAGE)
                .set(MESSAGE.STATUS, inline("sent"))
                .set(MESSAGE.SENT_AT, at)
                .set(MESSAGE.PROVIDER_ID, field(DSL.name("s", "provider_id"), String.class))
                .set(MESSAGE.SEGMENTS, field(DSL.name("s", "segments"), Integer.class))
                .set(MESSAGE.LAST_ERROR, inline((String) null))
                .set(MESSAGE.ATTEMPTS, MESSAGE.ATTEMPTS.plus(inline(1)))
                .set(MESSAGE.HELD_UNTIL, inline((OffsetDateTime) null))
                .set(MESSAGE.UPDATED_AT, at)
                .from(sent)
                .where(MESSAGE.ID.eq(id))
                .returning(MESSAGE.INVITATION_ID, MESSAGE.KIND, MESSAGE.SENT_AT, token);
        var done = DSL.table(DSL.name("done"));
        org.jooq.Condition planned = INVITATION.STATUS.eq(inline("planned"));
        return DSL.using(SQLDialect.POSTGRES).render(DSL.with(DSL.name("done")).as(messages)
                .update(INVITATION)
                .set(INVITATION.STATUS, DSL.when(planned, inline("sent")).otherwise(INVITATION.STATUS))
                .set(INVITATION.SENT_AT, DSL.when(planned, field(DSL.name("done", "sent_at"), OffsetDateTime.class))
                        .otherwise(INVITATION.SENT_AT))
                .set(INVITATION.TOKEN, coalesce(INVITATION.TOKEN, field(DSL.name("done", "token"), String.class)))
                .from(done)
                .where(INVITATION.ID.eq(field(DSL.name("done", "invitation_id"), Long.class)),
                        field(DSL.name("done", "kind"), String.class).eq(inline("invite")),
                        planned.or(INVITATION.TOKEN.isNull())));
    }

    /**
     * Back in the queue for {@code notBefore}; {@code countAttempt} false when the provider only
     * asked us to slow down. With {@code claim}, the message leaves that batch in the same
     * statement, so a takeover of the batch does not count an attempt it already counted (or
     * deliberately did not).
     */
    void requeue(DSLContext dsl, ClaimedMessage m, Instant notBefore, String error, boolean countAttempt,
                 Duration hold, Instant now, String claim) {
        (claim == null ? dsl.update(MESSAGE) : dsl.with(DSL.name("leaving").as(DSL.update(DISPATCH_CLAIM)
                .set(DISPATCH_CLAIM.MESSAGE_IDS, field("array_remove({0}, {1})", Long[].class,
                        DISPATCH_CLAIM.MESSAGE_IDS, DSL.val(m.id())))
                .where(DISPATCH_CLAIM.NAME.eq(claim))
                .returning(DISPATCH_CLAIM.NAME))).update(MESSAGE))
                .set(MESSAGE.NOT_BEFORE, utc(notBefore))
                .set(MESSAGE.NEXT_ATTEMPT_AT, error == null ? MESSAGE.NEXT_ATTEMPT_AT : DSL.val(utc(notBefore)))
                .set(MESSAGE.LAST_ERROR, error == null ? MESSAGE.LAST_ERROR : DSL.val(error))
                .set(MESSAGE.ATTEMPTS, countAttempt ? DSL.val(m.attempts()) : MESSAGE.ATTEMPTS)
                .set(MESSAGE.HELD_UNTIL, hold == null ? null : wallPlus(hold))
                .set(MESSAGE.UPDATED_AT, utc(now))
                .where(MESSAGE.ID.eq(m.id()))
                .execute();
    }

    void markFailed(DSLContext dsl, ClaimedMessage m, String error, Instant now) {
        finish(dsl, m, "failed", error, true, now);
        if (m.isInvite()) {
            finishInvitation(dsl, m, "failed", null);
        }
    }

    /** Not sent, on purpose ({@code reason}: suppressed, expired, responded, fatigue, no_channel). */
    void cancel(DSLContext dsl, ClaimedMessage m, String reason, Instant now) {
        finish(dsl, m, "cancelled", reason, false, now);
        if (m.isInvite() && !reason.equals("responded")) {
            finishInvitation(dsl, m, reason.equals("expired") ? "expired" : "skipped",
                    reason.equals("expired") ? null : reason);
        }
    }

    /**
     * A planned invitation whose invite will not be sent takes {@code status}; its token is stored
     * whatever its status, since an attempt cut short by a crash may have delivered the invite.
     */
    private void finishInvitation(DSLContext dsl, ClaimedMessage m, String status, String skipReason) {
        org.jooq.Condition planned = INVITATION.STATUS.eq("planned");
        dsl.update(INVITATION)
                .set(INVITATION.STATUS, DSL.when(planned, DSL.val(status)).otherwise(INVITATION.STATUS))
                .set(INVITATION.SKIP_REASON, DSL.when(planned, DSL.val(skipReason)).otherwise(INVITATION.SKIP_REASON))
                .set(INVITATION.TOKEN, coalesce(INVITATION.TOKEN, DSL.val(m.token())))
                .where(INVITATION.ID.eq(m.invitationId()), planned.or(INVITATION.TOKEN.isNull()))
                .execute();
    }

    /** {@code attempted}: the message was handed to the channel (failed), not cancelled before. */
    private void finish(DSLContext dsl, ClaimedMessage m, String status, String error, boolean attempted, Instant now) {
        dsl.update(MESSAGE)
                .set(MESSAGE.STATUS, status)
                .set(MESSAGE.LAST_ERROR, error)
                .set(MESSAGE.ATTEMPTS, attempted ? DSL.val(m.attempts()) : MESSAGE.ATTEMPTS)
                .set(MESSAGE.HELD_UNTIL, (OffsetDateTime) null)
                .set(MESSAGE.UPDATED_AT, utc(now))
                .where(MESSAGE.ID.eq(m.id()))
                .execute();
    }

    void suppress(DSLContext dsl, long contactId, String channel, String reason, String source, Instant now) {
        Suppressions.suppress(dsl, contactId, channel, reason, source, now);
    }

    /**
     * Reserves {@code n} consecutive sending slots of the channel at {@code perSecond} and returns
     * when the first one starts (real time); the reservation is shared by every node.
     */
    Slots reserveSlots(DSLContext dsl, String channel, int n, double perSecond) {
        // while the channel recovers from throttling it sends at rate / 2^level (V18); the time
        // between two slots is rounded up to whole microseconds (what a timestamp holds), so slots
        // are never closer than 1/rate and no second holds more than the rate's slots
        Field<Double> slowdown = field("power(2, {0})", Double.class, effectiveThrottleLevel());
        Field<Double> spacingMicros = field("ceil(1e6 * {0} / {1})", Double.class, slowdown, DSL.val(perSecond));
        Record r = dsl.update(CHANNEL_RATE)
                .set(CHANNEL_RATE.NEXT_SLOT, field("greatest({0}, clock_timestamp()) + make_interval(secs => {1} * {2} / 1e6)",
                        SQLDataType.TIMESTAMPWITHTIMEZONE, CHANNEL_RATE.NEXT_SLOT, DSL.val(n), spacingMicros))
                .where(CHANNEL_RATE.CHANNEL.eq(channel))
                .returningResult(CHANNEL_RATE.NEXT_SLOT, spacingMicros.as("spacing_micros"))
                .fetchOne();
        Duration spacing = Duration.ofNanos(Math.round(r.get("spacing_micros", Double.class)) * 1000);
        return new Slots(r.get(CHANNEL_RATE.NEXT_SLOT).toInstant().minus(spacing.multipliedBy(n)), spacing);
    }

    /** Reserved sending slots: when the first starts (real time), and the time between two. */
    record Slots(Instant start, Duration spacing) {
    }

    /** Recovery from throttling: one level fewer every {@link #RECOVERY_STEP} since the last pause ended. */
    static final Duration RECOVERY_STEP = Duration.ofSeconds(2);
    static final Duration MAX_THROTTLE_PAUSE = Duration.ofMinutes(1);

    /** When the channel's current throttling pause ends, or null. */
    Instant throttledUntil(DSLContext dsl, String channel) {
        OffsetDateTime until = dsl.select(CHANNEL_RATE.THROTTLED_UNTIL).from(CHANNEL_RATE)
                .where(CHANNEL_RATE.CHANNEL.eq(channel)).fetchOne(CHANNEL_RATE.THROTTLED_UNTIL);
        return until == null ? null : until.toInstant();
    }

    private static Field<Integer> effectiveThrottleLevel() {
        return field("""
                        case when {0} is null or {0} >= clock_timestamp() then {1}
                             else greatest(0, {1} - floor(extract(epoch from clock_timestamp() - {0}) / {2})::int) end""",
                Integer.class, CHANNEL_RATE.THROTTLED_UNTIL, CHANNEL_RATE.THROTTLE_LEVEL,
                DSL.val(seconds(RECOVERY_STEP)));
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
     * This node's share of the channel's {@code total} sending slots, renewed for {@code lease}
     * (V19): the node is marked alive on the channel, the live nodes split the slots evenly (the
     * remainder to the first by name), each taking at most its {@code cap}. The node renews the
     * slots it holds and takes free or lapsed ones up to its share; it may still hold more than
     * its share (another node just joined), which it gives back with {@link #giveBack} as its
     * senders finish. Nodes take turns under a per-channel advisory lock.
     */
    Share shareSlots(DSLContext dsl, String channel, int total, int cap, String node, Duration lease) {
        return dsl.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            lock(t, "surveycast.slots." + channel);
            List<String> live = liveNodes(t, channel, node, lease);
            int rank = Math.max(0, live.indexOf(node));
            int n = Math.max(1, live.size());
            int target = Math.min(cap, total / n + (rank < total % n ? 1 : 0));
            int held = t.update(CHANNEL_SLOT)
                    .set(CHANNEL_SLOT.HELD_UNTIL, wallPlus(lease))
                    .where(CHANNEL_SLOT.CHANNEL.eq(channel), CHANNEL_SLOT.NODE.eq(node), CHANNEL_SLOT.SLOT.lt(total))
                    .execute();
            if (held < target) {
                var free = DSL.select(CHANNEL_SLOT.SLOT).from(CHANNEL_SLOT)
                        .where(CHANNEL_SLOT.CHANNEL.eq(channel), CHANNEL_SLOT.SLOT.lt(total),
                                CHANNEL_SLOT.NODE.isNull().or(CHANNEL_SLOT.HELD_UNTIL.lt(WALL)))
                        .orderBy(CHANNEL_SLOT.SLOT)
                        .limit(target - held)
                        .forUpdate().skipLocked();
                held += t.update(CHANNEL_SLOT)
                        .set(CHANNEL_SLOT.NODE, node)
                        .set(CHANNEL_SLOT.HELD_UNTIL, wallPlus(lease))
                        .where(CHANNEL_SLOT.CHANNEL.eq(channel), CHANNEL_SLOT.SLOT.in(free))
                        .execute();
            }
            return new Share(held, target, live.size());
        });
    }

    /**
     * Marks {@code node} alive on the channel for {@code lease}, forgets nodes silent for a minute,
     * and returns the live nodes by name, in one statement: this runs every heartbeat of every
     * sending node, and as three statements its round trips and rendering were most of the
     * heartbeat's cost. The statement's snapshot does not see its own upsert, so this node comes
     * from the upsert's returning; the clean-up spares this node's row (one row is not changed
     * twice in one statement).
     */
    private static List<String> liveNodes(DSLContext t, String channel, String node, Duration lease) {
        var alive = DSL.name("alive").as(t.insertInto(CHANNEL_NODE, CHANNEL_NODE.CHANNEL, CHANNEL_NODE.NODE,
                        CHANNEL_NODE.ALIVE_UNTIL)
                .values(DSL.val(channel), DSL.val(node), wallPlus(lease))
                .onConflict(CHANNEL_NODE.CHANNEL, CHANNEL_NODE.NODE).doUpdate()
                .set(CHANNEL_NODE.ALIVE_UNTIL, wallPlus(lease))
                .returning(CHANNEL_NODE.NODE));
        var forgotten = DSL.name("forgotten").as(t.deleteFrom(CHANNEL_NODE)
                .where(CHANNEL_NODE.CHANNEL.eq(channel), CHANNEL_NODE.NODE.ne(node),
                        CHANNEL_NODE.ALIVE_UNTIL.lt(field("clock_timestamp() - interval '1 minute'",
                                SQLDataType.TIMESTAMPWITHTIMEZONE)))
                .returning(CHANNEL_NODE.NODE));
        var nodes = select(CHANNEL_NODE.NODE).from(CHANNEL_NODE)
                .where(CHANNEL_NODE.CHANNEL.eq(channel), CHANNEL_NODE.ALIVE_UNTIL.ge(WALL), CHANNEL_NODE.NODE.ne(node))
                .unionAll(select(alive.field(CHANNEL_NODE.NODE)).from(alive))
                .asTable("live");
        Field<String> name = nodes.field(CHANNEL_NODE.NODE);
        return t.with(alive).with(forgotten).select(name).from(nodes).orderBy(name).fetch(name);
    }

    /** What {@link #shareSlots} found: the slots this node now holds, its share, the live nodes. */
    record Share(int held, int target, int nodes) {
    }

    /** Gives {@code n} of this node's slots back (they are not in use), for the nodes short of their share. */
    void giveBack(DSLContext dsl, String channel, String node, int n) {
        var mine = DSL.select(CHANNEL_SLOT.SLOT).from(CHANNEL_SLOT)
                .where(CHANNEL_SLOT.CHANNEL.eq(channel), CHANNEL_SLOT.NODE.eq(node))
                .orderBy(CHANNEL_SLOT.SLOT.desc())
                .limit(n);
        freeSlots(dsl, CHANNEL_SLOT.CHANNEL.eq(channel).and(CHANNEL_SLOT.SLOT.in(mine)));
    }

    /** The node stops sending on the channel: it is no longer counted, and its slots are free at once. */
    void leave(DSLContext dsl, String channel, String node) {
        dsl.transaction(tx -> {
            DSLContext t = tx.dsl();
            lock(t, "surveycast.slots." + channel);
            t.deleteFrom(CHANNEL_NODE).where(CHANNEL_NODE.CHANNEL.eq(channel), CHANNEL_NODE.NODE.eq(node)).execute();
            freeSlots(t, CHANNEL_SLOT.CHANNEL.eq(channel).and(CHANNEL_SLOT.NODE.eq(node)));
        });
    }

    /** The slots {@code which} picks belong to no node any more. */
    private static void freeSlots(DSLContext dsl, org.jooq.Condition which) {
        dsl.update(CHANNEL_SLOT)
                .set(CHANNEL_SLOT.NODE, (String) null)
                .set(CHANNEL_SLOT.HELD_UNTIL, (OffsetDateTime) null)
                .where(which)
                .execute();
    }

    /**
     * The provider asked to slow down: nobody sends on the channel until the pause is over, on any
     * node. A throttling answer that comes after the last pause ended raises the channel's level
     * (a longer pause, a lower rate after it); one to a request sent before that pause does not.
     * The pause is 2^(level-1) s (at most {@link #MAX_THROTTLE_PAUSE}) or {@code retryAfter}
     * when longer. Returns when the channel may send again (real time).
     */
    Instant throttle(DSLContext dsl, String channel, Duration retryAfter) {
        Field<Integer> level = field("case when {0} is null or {0} < clock_timestamp() then least({1} + 1, 16) else {2} end",
                Integer.class, CHANNEL_RATE.THROTTLED_UNTIL, effectiveThrottleLevel(), CHANNEL_RATE.THROTTLE_LEVEL);
        Field<OffsetDateTime> until = field("""
                        greatest({0}, clock_timestamp() + make_interval(secs => greatest({1}, least({2}, power(2, {3} - 1)))))""",
                SQLDataType.TIMESTAMPWITHTIMEZONE,
                CHANNEL_RATE.THROTTLED_UNTIL, DSL.val(retryAfter == null ? 0 : seconds(retryAfter)),
                DSL.val(seconds(MAX_THROTTLE_PAUSE)), level);
        return dsl.update(CHANNEL_RATE)
                .set(CHANNEL_RATE.THROTTLE_LEVEL, level)
                .set(CHANNEL_RATE.THROTTLED_UNTIL, until)
                .set(CHANNEL_RATE.NEXT_SLOT, DSL.greatest(CHANNEL_RATE.NEXT_SLOT, until))
                .where(CHANNEL_RATE.CHANNEL.eq(channel))
                .returning(CHANNEL_RATE.THROTTLED_UNTIL)
                .fetchOne(CHANNEL_RATE.THROTTLED_UNTIL).toInstant();
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
