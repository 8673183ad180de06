package io.surveycast.followup;

import io.surveycast.config.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which cases to list: {@code status} one of open, in_progress, closed, or all (null: open and
 * in_progress, the queue), and each other field null for any.
 */
public record CaseFilter(String status, String owner, String campaign, String category, boolean overdue, int limit) {
    static final Set<String> STATUSES = Set.of("open", "in_progress", "closed", "all");
    static final Set<String> CATEGORIES = Set.of("detractor", "passive", "promoter");

    public static final int MAX_LIMIT = 1000;

    public static CaseFilter queue() {
        return new CaseFilter(null, null, null, null, false, 100);
    }

    /** The filter, checked: bad values are refused naming the option ({@code --status: ...}). */
    public static CaseFilter of(String status, String owner, String campaign, String category, boolean overdue, int limit,
                                String prefix) {
        List<String> errors = new ArrayList<>();
        if (status != null && !STATUSES.contains(status)) {
            errors.add(prefix + "status: expected open, in_progress, closed or all, got " + status);
        }
        if (category != null && !CATEGORIES.contains(category)) {
            errors.add(prefix + "category: expected detractor, passive or promoter, got " + category);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            errors.add(prefix + "limit: expected 1 to " + MAX_LIMIT + ", got " + limit);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new CaseFilter(status, blankIsNull(owner), blankIsNull(campaign), category, overdue, limit);
    }

    private static String blankIsNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** Only cases not closed: the queue's order (overdue first, then due time) is then the due time's. */
    boolean onlyOpen() {
        return status == null || status.equals("open") || status.equals("in_progress") || overdue;
    }
}
