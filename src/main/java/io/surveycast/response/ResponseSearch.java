package io.surveycast.response;

import io.surveycast.config.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;

/**
 * Responses as people look for them: by score category, campaign, period of receipt and words in
 * the comment (case-insensitive), newest first, a page at a time. A page ends with a cursor that
 * gives the next one; answers arriving meanwhile never shift or repeat what the cursor pages through.
 */
public final class ResponseSearch {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    private static final Set<String> CATEGORIES = Set.of("promoter", "passive", "detractor");
    private static final Set<String> SENTIMENTS = Set.of("positive", "neutral", "negative");
    private final DSLContext dsl;
    private final ResponseSearchQueries queries = new ResponseSearchQueries();

    /**
     * What to look for; every part may be null. {@code from} inclusive, {@code to} exclusive;
     * {@code theme}: a theme key the response is tagged with; {@code sentiment} its comment's.
     */
    public record Filter(String category, String campaign, Instant from, Instant to, String text, String theme,
                         String sentiment) {
        public Filter(String category, String campaign, Instant from, Instant to, String text) {
            this(category, campaign, from, to, text, null, null);
        }

        public Filter {
            if (category != null && !CATEGORIES.contains(category)) {
                throw new InvalidInputException("category: one of promoter, passive, detractor, not " + category);
            }
            if (sentiment != null && !SENTIMENTS.contains(sentiment)) {
                throw new InvalidInputException("sentiment: one of positive, neutral, negative, not " + sentiment);
            }
            if (from != null && to != null && !to.isAfter(from)) {
                throw new InvalidInputException("to: must be after from");
            }
            text = text == null || text.isBlank() ? null : text.strip();
        }
    }

    /**
     * One response with its campaign and contact, its themes (keys, in key order) and sentiment
     * (null without a comment or while not tagged yet).
     */
    public record Item(long id, int score, String category, String comment, String channel, Instant receivedAt,
                       String campaign, String externalId, String name, String email, List<String> themes,
                       String sentiment) {
    }

    /** Where a page ends: the last response shown. */
    public record Cursor(Instant receivedAt, long id) {
        public String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((receivedAt + "," + id).getBytes(StandardCharsets.UTF_8));
        }

        /** @throws InvalidInputException when the text is not a cursor this class gave out */
        public static Cursor decode(String text) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(",");
                return new Cursor(Instant.parse(parts[0]), Long.parseLong(parts[1]));
            } catch (RuntimeException e) {
                throw new InvalidInputException("cursor: not a cursor from a previous page");
            }
        }
    }

    /** One page; {@code next} is null on the last one. */
    public record Page(List<Item> items, Cursor next) {
    }

    public ResponseSearch(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Page find(Filter filter, Cursor after, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit: between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        if (filter.theme() != null && !queries.themeExists(dsl, filter.theme())) {
            throw new InvalidInputException("theme: no theme " + filter.theme() + " (themes list shows the keys)");
        }
        List<Item> items = queries.page(dsl, filter, after, limit + 1);
        if (items.size() <= limit) {
            return new Page(items, null);
        }
        List<Item> shown = items.subList(0, limit);
        Item last = shown.get(limit - 1);
        return new Page(List.copyOf(shown), new Cursor(last.receivedAt(), last.id()));
    }
}
