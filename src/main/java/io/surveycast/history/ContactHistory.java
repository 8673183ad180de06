package io.surveycast.history;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * One contact's whole story, each list oldest first: every invitation (planned, sent, skipped or
 * deferred and why), every answer with the answers it replaced and its change from the answer
 * before (the score trend), every message out and every text in, the suppressions, and the
 * follow-up cases with their notes.
 */
final class ContactHistory {
    record Invitation(long id, String campaign, String campaignName, String cycle, String channel, String status,
                      Instant plannedAt, Instant inviteAt, Instant sentAt, Instant respondedAt, Instant expiresAt,
                      String skipReason, String deferReason) {
        /** When it happened as far as the contact is concerned: sent, else to be sent, else planned. */
        Instant at() {
            return sentAt != null ? sentAt : inviteAt != null ? inviteAt : plannedAt;
        }
    }

    /** One answer as given (a response keeps the last one given within its 24 hours). */
    record Answer(int score, String comment, String channel, Instant at) {
    }

    /** {@code change}: this score minus the one of the contact's answer before (null for the first). */
    record Response(long id, long invitationId, String campaign, String cycle, int score, String category,
                    String comment, String channel, Instant receivedAt, Instant updatedAt, Integer change,
                    List<Answer> answers) {
    }

    /** A message sent (direction {@code out}) or a text received by SMS ({@code in}: its body, what it was taken as, our reply). */
    record Message(String direction, Long id, Long invitationId, String campaign, String kind, Integer step,
                   String channel, String status, Instant at, Instant sentAt, Instant deliveredAt, String error,
                   String text, String reply) {
    }

    record Note(String author, Instant at, String text) {
    }

    record Case(long id, long responseId, String campaign, String category, String owner, String status,
                Instant openedAt, Instant dueAt, Instant firstActionAt, Instant closedAt, String closeReason,
                List<Note> notes) {
    }

    /** The contact's own fields; {@code id} is the database's, never shown. */
    record Contact(long id, String externalId, String email, String phone, String name, String locale, String timezone,
                   Instant onboardedAt, LocalDate renewalDate, Map<String, Object> attributes, Instant createdAt,
                   Instant updatedAt) {
    }

    record Suppression(String channel, String reason, Instant at, String source) {
    }

    /** {@code account}: the contact's value of the account attribute, null without one. */
    record History(Contact contact, String account, List<Invitation> invitations, List<Response> responses,
                   List<Message> messages, List<Suppression> suppressions, List<Case> cases) {
    }

    private final DSLContext dsl;
    private final String accountAttribute;
    private final Runnable casesUpToDate;
    private final HistoryQueries queries = new HistoryQueries();

    /** @param casesUpToDate brings the cases up to the answers stored so far (they open a moment after) */
    ContactHistory(DSLContext dsl, String accountAttribute, Runnable casesUpToDate) {
        this.dsl = dsl;
        this.accountAttribute = accountAttribute;
        this.casesUpToDate = casesUpToDate;
    }

    /** The history of the contact {@code externalId}; empty when there is no such contact. */
    Optional<History> of(String externalId) {
        casesUpToDate.run();
        Optional<Contact> contact = queries.contact(dsl, externalId);
        if (contact.isEmpty()) {
            return Optional.empty();
        }
        long contactId = contact.get().id();
        Object account = contact.get().attributes().get(accountAttribute);
        List<Suppression> suppressions = queries.suppressions(dsl, contactId);
        List<Message> messages = new ArrayList<>(queries.messages(dsl, contactId));
        messages.addAll(queries.textsReceived(dsl, contactId));
        // a text received at the same instant as a message sent came after it (it answers it)
        messages.sort(Comparator.comparing(Message::at).thenComparing(m -> m.direction().equals("in"))
                .thenComparing(m -> m.id() == null ? 0L : m.id()));
        return Optional.of(new History(contact.get(), account == null ? null : account.toString(),
                queries.invitations(dsl, contactId),
                withTrend(queries.responses(dsl, contactId), queries.answers(dsl, contactId)),
                messages, suppressions, queries.cases(dsl, contactId)));
    }

    /** The responses (oldest first) with their answers as given and their change from the one before. */
    static List<Response> withTrend(List<Response> responses, Map<Long, List<Answer>> answers) {
        List<Response> out = new ArrayList<>(responses.size());
        Integer previous = null;
        for (Response r : responses) {
            out.add(new Response(r.id(), r.invitationId(), r.campaign(), r.cycle(), r.score(), r.category(), r.comment(),
                    r.channel(), r.receivedAt(), r.updatedAt(), previous == null ? null : r.score() - previous,
                    answers.getOrDefault(r.id(), List.of())));
            previous = r.score();
        }
        return out;
    }
}
