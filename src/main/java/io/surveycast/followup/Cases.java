package io.surveycast.followup;

import io.surveycast.config.InvalidInputException;
import io.surveycast.config.StorableText;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;

/**
 * Working the case queue: listing and reading cases, and what people do with them (assign, note,
 * change the status, close with a reason). The first note, status change or assignment is the
 * case's first action; assigning emails the new owner.
 */
public final class Cases {
    static final int MAX_NOTE = 5000;
    static final int MAX_REASON = 500;
    static final int MAX_OWNER = 254;
    private final DSLContext dsl;
    private final Clock clock;
    private final CaseNotices notices;
    private final CaseOpening opening;
    private final CaseQueries queries = new CaseQueries();

    /** The follow-up cases of this database; case webhooks go to {@code webhookUrls}, links to {@code publicUrl}. */
    public static Cases of(DSLContext dsl, Clock clock, List<String> webhookUrls, io.surveycast.channel.TemplateStore templates,
                           String publicUrl) {
        CaseNotices notices = new CaseNotices(webhookUrls, templates, publicUrl);
        return new Cases(dsl, clock, notices, new CaseOpening(dsl, clock, notices));
    }

    public CaseOpening opening() {
        return opening;
    }

    public CaseEscalation escalation() {
        return new CaseEscalation(dsl, clock, notices);
    }

    Cases(DSLContext dsl, Clock clock, CaseNotices notices, CaseOpening opening) {
        this.dsl = dsl;
        this.clock = clock;
        this.notices = notices;
        this.opening = opening;
    }

    /** No case with that id. */
    public static final class NoSuchCase extends RuntimeException {
        public NoSuchCase(long id) {
            super("no case " + id, null, false, false);
        }
    }

    /** The change asked for does not fit the case as it is (closing a closed case). */
    public static final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message, null, false, false);
        }
    }

    /** Answers stored since the last pass get their cases first, so a list is never behind the answers. */
    public List<FollowUpCase> list(CaseFilter filter) {
        opening.drain(true);
        return queries.list(dsl, filter, clock.instant());
    }

    /** {@code cases report}: answers still queued get their cases first, as for {@link #list}. */
    public List<CaseReportRow> report(CaseReport.Query query) {
        opening.drain(true);
        return CaseReport.rows(dsl, query, clock.instant());
    }

    public Optional<FollowUpCase> find(long id) {
        return queries.find(dsl, id, false);
    }

    public Instant now() {
        return clock.instant();
    }

    /** {@code owner} null or blank unassigns. */
    public FollowUpCase assign(long id, String owner, String actor) {
        return change(id, owner, true, null, null, actor);
    }

    public FollowUpCase close(long id, String reason, String actor) {
        return change(id, null, false, "closed", reason, actor);
    }

    /**
     * One change from the API or a page: any of a new owner ({@code setOwner}), a status and a close
     * reason (required to close).
     */
    public FollowUpCase change(long id, String owner, boolean setOwner, String status, String closeReason, String actor) {
        String newOwner = setOwner ? owner(owner) : null;
        if (status != null && !Set.of("open", "in_progress", "closed").contains(status)) {
            throw new InvalidInputException("status: expected open, in_progress or closed, got " + status);
        }
        String reason = closeReason == null ? null : closeReason.strip();
        if ("closed".equals(status)) {
            check("close_reason", reason, MAX_REASON, true);
            if (CaseOpening.SCORE_CHANGED.equals(reason)) {
                throw new InvalidInputException("close_reason: score_changed is set by surveycast, give your own reason");
            }
        } else if (reason != null && !reason.isEmpty()) {
            throw new InvalidInputException("close_reason: only with status closed");
        }
        Instant now = clock.instant();
        return dsl.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            FollowUpCase before = queries.find(t, id, true).orElseThrow(() -> new NoSuchCase(id));
            if ("closed".equals(status)) {
                if (before.status().equals("closed")) {
                    throw new Conflict("case " + id + " is closed already (" + before.closeReason() + ")");
                }
                if (setOwner) {
                    queries.act(t, id, newOwner, true, null, now);
                }
                queries.close(t, id, reason, now, true);
            } else {
                queries.act(t, id, newOwner, setOwner, status != null && !status.equals(before.status()) ? status : null, now);
            }
            FollowUpCase after = queries.find(t, id, false).orElseThrow();
            if (setOwner && after.owner() != null && !after.owner().equals(before.owner())) {
                notices.assigned(t, after, actor, now);
            }
            if (after.status().equals("closed") && !before.status().equals("closed")) {
                notices.webhook(t, after, "case.closed", now);
            } else if (!after.status().equals("closed") && before.status().equals("closed")) {
                notices.webhook(t, after, "case.opened", now);
            }
            return after;
        });
    }

    /** A note by {@code author}; the case's first action when it is the first. */
    public FollowUpCase note(long id, String text, String author) {
        String note = text == null ? null : text.strip();
        check("text", note, MAX_NOTE, true);
        Instant now = clock.instant();
        return dsl.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            queries.find(t, id, true).orElseThrow(() -> new NoSuchCase(id));
            queries.addNote(t, id, author, note, now);
            queries.act(t, id, null, false, null, now);
            return queries.find(t, id, false).orElseThrow();
        });
    }

    private static String owner(String owner) {
        if (owner == null || owner.isBlank()) {
            return null;
        }
        String o = owner.strip();
        check("owner", o, MAX_OWNER, true);
        if (o.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("owner: one line, no control characters");
        }
        return o;
    }

    private static void check(String field, String text, int max, boolean required) {
        if (text == null || text.isEmpty()) {
            if (required) {
                throw new InvalidInputException(field + ": required");
            }
            return;
        }
        if (text.length() > max) {
            throw new InvalidInputException(field + ": at most " + max + " characters, got " + text.length());
        }
        String problem = StorableText.problem(text);
        if (problem != null) {
            throw new InvalidInputException(field + ": " + problem);
        }
    }
}
