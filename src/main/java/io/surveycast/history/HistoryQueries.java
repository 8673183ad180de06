package io.surveycast.history;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.RESPONSE_HISTORY;
import static io.surveycast.db.Tables.SMS_INBOUND;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.jooq.impl.DSL.coalesce;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.sql.NamedSql;
import io.surveycast.sql.Params;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record;

/** The SQL of contact and account histories: jOOQ for the plain reads, {@code sql/history.sql} for the rest. */
final class HistoryQueries {
    private static final NamedSql SQL = NamedSql.of("history");
    private static final ObjectMapper JSON = new ObjectMapper();

    Optional<ContactHistory.Contact> contact(DSLContext dsl, String externalId) {
        return dsl.selectFrom(CONTACT).where(CONTACT.EXTERNAL_ID.eq(externalId)).fetchOptional(c -> new ContactHistory.Contact(
                c.getId(), c.getExternalId(), c.getEmail(), c.getPhone(), c.getName(), c.getLocale(), c.getTimezone(),
                instant(c.getOnboardedAt()), c.getRenewalDate(), attributes(c.getAttributes()), instant(c.getCreatedAt()),
                instant(c.getUpdatedAt())));
    }

    /** The contact's suppressions (one per channel at most), oldest first. */
    List<ContactHistory.Suppression> suppressions(DSLContext dsl, long contactId) {
        return dsl.select(SUPPRESSION.CHANNEL, SUPPRESSION.REASON, SUPPRESSION.AT, SUPPRESSION.SOURCE).from(SUPPRESSION)
                .where(SUPPRESSION.CONTACT_ID.eq(contactId)).orderBy(SUPPRESSION.AT, SUPPRESSION.CHANNEL)
                .fetch(r -> new ContactHistory.Suppression(r.get(SUPPRESSION.CHANNEL), r.get(SUPPRESSION.REASON),
                        instant(r.get(SUPPRESSION.AT)), r.get(SUPPRESSION.SOURCE)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> attributes(JSONB json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json.data(), LinkedHashMap.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("contact attributes are not JSON", e);
        }
    }

    List<ContactHistory.Invitation> invitations(DSLContext dsl, long contactId) {
        return dsl.select(INVITATION.ID, CAMPAIGN.KEY, CAMPAIGN.NAME, INVITATION.CYCLE, INVITATION.CHANNEL,
                        INVITATION.STATUS, INVITATION.PLANNED_AT, INVITATION.INVITE_AT, INVITATION.SENT_AT,
                        INVITATION.RESPONDED_AT, INVITATION.EXPIRES_AT, INVITATION.SKIP_REASON, INVITATION.DEFER_REASON)
                .from(INVITATION).join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                .where(INVITATION.CONTACT_ID.eq(contactId))
                .orderBy(coalesce(INVITATION.SENT_AT, INVITATION.INVITE_AT, INVITATION.PLANNED_AT), INVITATION.ID)
                .fetch(r -> new ContactHistory.Invitation(r.get(INVITATION.ID), r.get(CAMPAIGN.KEY), r.get(CAMPAIGN.NAME),
                        r.get(INVITATION.CYCLE), r.get(INVITATION.CHANNEL), r.get(INVITATION.STATUS),
                        instant(r.get(INVITATION.PLANNED_AT)), instant(r.get(INVITATION.INVITE_AT)),
                        instant(r.get(INVITATION.SENT_AT)), instant(r.get(INVITATION.RESPONDED_AT)),
                        instant(r.get(INVITATION.EXPIRES_AT)), r.get(INVITATION.SKIP_REASON), r.get(INVITATION.DEFER_REASON)));
    }

    /** The responses oldest first, without their trend (see {@link ContactHistory#withTrend}). */
    List<ContactHistory.Response> responses(DSLContext dsl, long contactId) {
        return dsl.select(RESPONSE.ID, RESPONSE.INVITATION_ID, CAMPAIGN.KEY, INVITATION.CYCLE, RESPONSE.SCORE,
                        RESPONSE.CATEGORY, RESPONSE.COMMENT, RESPONSE.CHANNEL, RESPONSE.RECEIVED_AT, RESPONSE.UPDATED_AT)
                .from(INVITATION).join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                .join(RESPONSE).on(RESPONSE.INVITATION_ID.eq(INVITATION.ID))
                .where(INVITATION.CONTACT_ID.eq(contactId))
                .orderBy(RESPONSE.RECEIVED_AT, RESPONSE.ID)
                .fetch(r -> new ContactHistory.Response(r.get(RESPONSE.ID), r.get(RESPONSE.INVITATION_ID), r.get(CAMPAIGN.KEY),
                        r.get(INVITATION.CYCLE), r.get(RESPONSE.SCORE).intValue(), r.get(RESPONSE.CATEGORY), r.get(RESPONSE.COMMENT),
                        r.get(RESPONSE.CHANNEL), instant(r.get(RESPONSE.RECEIVED_AT)), instant(r.get(RESPONSE.UPDATED_AT)),
                        null, List.of()));
    }

    /** Every answer given to the contact's responses, by response, oldest first. */
    Map<Long, List<ContactHistory.Answer>> answers(DSLContext dsl, long contactId) {
        Map<Long, List<ContactHistory.Answer>> out = new LinkedHashMap<>();
        dsl.select(RESPONSE_HISTORY.RESPONSE_ID, RESPONSE_HISTORY.SCORE, RESPONSE_HISTORY.COMMENT, RESPONSE_HISTORY.CHANNEL,
                        RESPONSE_HISTORY.AT)
                .from(INVITATION).join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                .join(RESPONSE).on(RESPONSE.INVITATION_ID.eq(INVITATION.ID))
                .join(RESPONSE_HISTORY).on(RESPONSE_HISTORY.RESPONSE_ID.eq(RESPONSE.ID))
                .where(INVITATION.CONTACT_ID.eq(contactId))
                .orderBy(RESPONSE_HISTORY.AT, RESPONSE_HISTORY.ID)
                .forEach(r -> out.computeIfAbsent(r.get(RESPONSE_HISTORY.RESPONSE_ID), k -> new ArrayList<>())
                        .add(new ContactHistory.Answer(r.get(RESPONSE_HISTORY.SCORE).intValue(), r.get(RESPONSE_HISTORY.COMMENT),
                                r.get(RESPONSE_HISTORY.CHANNEL), instant(r.get(RESPONSE_HISTORY.AT)))));
        return out;
    }

    /** Messages sent or to be sent (cancelled steps too, with their reason), by when they went or are to go. */
    List<ContactHistory.Message> messages(DSLContext dsl, long contactId) {
        return dsl.select(MESSAGE.ID, MESSAGE.INVITATION_ID, CAMPAIGN.KEY, MESSAGE.KIND, MESSAGE.STEP, MESSAGE.CHANNEL,
                        MESSAGE.STATUS, MESSAGE.NOT_BEFORE, MESSAGE.SENT_AT, MESSAGE.DELIVERED_AT, MESSAGE.LAST_ERROR)
                .from(MESSAGE).join(INVITATION).on(INVITATION.ID.eq(MESSAGE.INVITATION_ID))
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                .where(MESSAGE.CONTACT_ID.eq(contactId))
                .fetch(r -> new ContactHistory.Message("out", r.get(MESSAGE.ID), r.get(MESSAGE.INVITATION_ID), r.get(CAMPAIGN.KEY),
                        r.get(MESSAGE.KIND), r.get(MESSAGE.STEP), r.get(MESSAGE.CHANNEL), r.get(MESSAGE.STATUS),
                        instant(r.get(MESSAGE.SENT_AT) != null ? r.get(MESSAGE.SENT_AT) : r.get(MESSAGE.NOT_BEFORE)),
                        instant(r.get(MESSAGE.SENT_AT)), instant(r.get(MESSAGE.DELIVERED_AT)), r.get(MESSAGE.LAST_ERROR),
                        null, null));
    }

    /** Texts the contact sent us by SMS: replies, keywords (STOP, START, HELP), with what we made of them. */
    List<ContactHistory.Message> textsReceived(DSLContext dsl, long contactId) {
        return dsl.select(SMS_INBOUND.ID, SMS_INBOUND.INVITATION_ID, CAMPAIGN.KEY, SMS_INBOUND.HANDLED_AS,
                        SMS_INBOUND.BODY, SMS_INBOUND.REPLY, SMS_INBOUND.RECEIVED_AT)
                .from(SMS_INBOUND).leftJoin(INVITATION).on(INVITATION.ID.eq(SMS_INBOUND.INVITATION_ID))
                .leftJoin(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                .where(SMS_INBOUND.CONTACT_ID.eq(contactId))
                .fetch(r -> new ContactHistory.Message("in", r.get(SMS_INBOUND.ID), r.get(SMS_INBOUND.INVITATION_ID),
                        r.get(CAMPAIGN.KEY), "text", null, "sms", r.get(SMS_INBOUND.HANDLED_AS),
                        instant(r.get(SMS_INBOUND.RECEIVED_AT)), null, null, null, r.get(SMS_INBOUND.BODY),
                        r.get(SMS_INBOUND.REPLY)));
    }

    /** The contact's follow-up cases with their notes. */
    List<ContactHistory.Case> cases(DSLContext dsl, long contactId) {
        List<Record> rows = SQL.get("contact-cases").query(dsl, new Params().value("contact", contactId)).fetch();
        if (rows.isEmpty()) {
            return List.of();
        }
        Long[] ids = rows.stream().map(r -> r.get("id", Long.class)).toArray(Long[]::new);
        Map<Long, List<ContactHistory.Note>> notes = new LinkedHashMap<>();
        SQL.get("case-notes").query(dsl, new Params().value("cases", ids)).forEach(n -> notes
                .computeIfAbsent(n.get("case_id", Long.class), k -> new ArrayList<>())
                .add(new ContactHistory.Note(n.get("author", String.class), instant(n.get("at", OffsetDateTime.class)),
                        n.get("text", String.class))));
        return rows.stream().map(r -> new ContactHistory.Case(r.get("id", Long.class), r.get("response_id", Long.class),
                r.get("campaign", String.class), r.get("category", String.class), r.get("owner", String.class),
                r.get("status", String.class), instant(r.get("opened_at", OffsetDateTime.class)),
                instant(r.get("due_at", OffsetDateTime.class)), instant(r.get("first_action_at", OffsetDateTime.class)),
                instant(r.get("closed_at", OffsetDateTime.class)), r.get("close_reason", String.class),
                notes.getOrDefault(r.get("id", Long.class), List.of()))).toList();
    }

    List<Accounts.Member> accountContacts(DSLContext dsl, String attribute, String account) {
        return SQL.get("account-contacts").query(dsl, new Params().value("match", match(attribute, account)))
                .fetch(r -> new Accounts.Member(r.get("id", Long.class), r.get("external_id", String.class),
                        r.get("name", String.class)));
    }

    /** Those of {@code contacts} in the segment (their current attributes). */
    java.util.Set<Long> inSegment(DSLContext dsl, java.util.Collection<Long> contacts, io.surveycast.report.SegmentFilter segment) {
        return new java.util.HashSet<>(dsl.select(CONTACT.ID).from(CONTACT)
                .where(CONTACT.ID.in(contacts), segment.matches(CONTACT.ATTRIBUTES)).fetch(CONTACT.ID));
    }

    List<AccountNps.Answer> accountAnswers(DSLContext dsl, String attribute, String account, Instant from, Instant to) {
        return SQL.get("account-answers").query(dsl, new Params().value("match", match(attribute, account))
                        .value("from", from.atOffset(ZoneOffset.UTC)).value("to", to.atOffset(ZoneOffset.UTC)))
                .fetch(r -> new AccountNps.Answer(r.get("contact_id", Long.class), r.get("response_id", Long.class),
                        r.get("score", Integer.class), instant(r.get("received_at", OffsetDateTime.class)),
                        r.get("campaign", String.class)));
    }

    /** The cases not closed of the account's contacts. */
    List<Accounts.OpenCase> accountOpenCases(DSLContext dsl, String attribute, String account) {
        return SQL.get("account-open-cases").query(dsl, new Params().value("match", match(attribute, account)))
                .fetch(r -> new Accounts.OpenCase(r.get("id", Long.class), r.get("external_id", String.class),
                        r.get("name", String.class), r.get("campaign", String.class), r.get("category", String.class),
                        r.get("owner", String.class), r.get("status", String.class),
                        instant(r.get("opened_at", OffsetDateTime.class)), instant(r.get("due_at", OffsetDateTime.class))));
    }

    /** {"<attribute>": "<account>"}: what an account's contacts' attributes contain. */
    private static JSONB match(String attribute, String account) {
        return JSONB.valueOf(JSON.createObjectNode().put(attribute, account).toString());
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
