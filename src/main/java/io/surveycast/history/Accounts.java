package io.surveycast.history;

import io.surveycast.report.SegmentFilter;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Accounts: the contacts sharing one value of the account attribute ({@code SURVEYCAST_ACCOUNT_ATTRIBUTE},
 * default {@code account}). An account's figures over a period (UTC dates, both inclusive; by
 * default the 90 days up to today): its NPS over the latest answer of each contact, each contact's
 * latest answer, its open cases, and the same NPS per quarter over the last {@value #QUARTERS} quarters.
 */
final class Accounts {
    static final int DEFAULT_DAYS = 90;
    static final int QUARTERS = 8;

    record Member(long id, String externalId, String name) {
    }

    /** A contact of the account with its latest answer in the period (null without one). */
    record Contact(String externalId, String name, AccountNps.Answer latest) {
    }

    record OpenCase(long id, String externalId, String name, String campaign, String category, String owner,
                    String status, Instant openedAt, Instant dueAt) {
    }

    record Account(String id, String attribute, LocalDate from, LocalDate to, AccountNps.Figures figures,
                   List<Contact> contacts, List<OpenCase> openCases, List<AccountNps.Quarter> quarters) {
    }

    /** A period that cannot be: its end before its start. */
    static final class BadPeriod extends IllegalArgumentException {
        BadPeriod(String message) {
            super(message);
        }
    }

    private final DSLContext dsl;
    private final Clock clock;
    private final String attribute;
    private final Runnable casesUpToDate;
    private final HistoryQueries queries = new HistoryQueries();

    /** @param casesUpToDate brings the cases up to the answers stored so far (they open a moment after) */
    Accounts(DSLContext dsl, Clock clock, String attribute, Runnable casesUpToDate) {
        this.dsl = dsl;
        this.clock = clock;
        this.attribute = attribute;
        this.casesUpToDate = casesUpToDate;
    }

    Clock clock() {
        return clock;
    }

    String attribute() {
        return attribute;
    }

    /** The account {@code id} over [from, to] (either null: the default); empty when no contact has that account. */
    Optional<Account> of(String id, LocalDate from, LocalDate to) {
        return of(id, from, to, SegmentFilter.NONE);
    }

    /**
     * The same, of the account's contacts in {@code segment} only (every figure is per contact: the
     * segment's contacts, their answers, their open cases); empty when no contact has that account.
     */
    Optional<Account> of(String id, LocalDate from, LocalDate to, SegmentFilter segment) {
        casesUpToDate.run();
        LocalDate end = to != null ? to : LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate start = from != null ? from : end.minusDays(DEFAULT_DAYS - 1);
        if (end.isBefore(start)) {
            throw new BadPeriod("to: " + end + " is before from " + start);
        }
        List<Member> members = queries.accountContacts(dsl, attribute, id);
        if (members.isEmpty()) {
            return Optional.empty();
        }
        java.util.function.LongPredicate kept = keeper(members, segment);
        members = members.stream().filter(m -> kept.test(m.id())).toList();
        LocalDate trendStart = AccountNps.quarterStart(end).minusMonths(3L * (QUARTERS - 1));
        Instant until = AccountNps.utc(end.plusDays(1));
        List<AccountNps.Answer> answers = queries.accountAnswers(dsl, attribute, id,
                AccountNps.utc(start.isBefore(trendStart) ? start : trendStart), until)
                .stream().filter(a -> kept.test(a.contactId())).toList();
        Map<Long, AccountNps.Answer> latest = AccountNps.latestPerContact(answers, AccountNps.utc(start), until);
        List<Contact> contacts = members.stream().map(m -> new Contact(m.externalId(), m.name(), latest.get(m.id()))).toList();
        return Optional.of(new Account(id, attribute, start, end, AccountNps.figures(latest.values()), contacts,
                openCases(id, contacts), AccountNps.quarters(answers, end, QUARTERS)));
    }

    private java.util.function.LongPredicate keeper(List<Member> members, SegmentFilter segment) {
        if (segment.isEmpty()) {
            return contact -> true;
        }
        java.util.Set<Long> in = queries.inSegment(dsl, members.stream().map(Member::id).toList(), segment);
        return in::contains;
    }

    /** The open cases of the contacts shown (external ids are unique). */
    private List<OpenCase> openCases(String id, List<Contact> contacts) {
        java.util.Set<String> shown = new java.util.HashSet<>();
        contacts.forEach(c -> shown.add(c.externalId()));
        return queries.accountOpenCases(dsl, attribute, id).stream().filter(k -> shown.contains(k.externalId())).toList();
    }
}
