package io.surveycast.report;

import io.surveycast.config.InvalidInputException;
import java.util.regex.Pattern;

/** How report rows are grouped: {@code campaign}, {@code wave} (cycle), {@code channel}, {@code month}, {@code quarter}, {@code theme} (the themes answers mention), {@code attr:NAME}. */
public record Breakdown(String kind, String attribute) {
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    public static final Breakdown ALL = new Breakdown("all", null);

    public static Breakdown parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        if (text.startsWith("attr:")) {
            String name = text.substring(5);
            if (!ATTRIBUTE.matcher(name).matches()) {
                throw new InvalidInputException("--by: attr: needs a contact attribute name (letters, digits, . _ -): " + text);
            }
            return new Breakdown("attr", name);
        }
        return switch (text) {
            case "campaign", "wave", "channel", "month", "quarter", "theme" -> new Breakdown(text, null);
            default -> throw new InvalidInputException(
                    "--by: unknown breakdown " + text + " (campaign, wave, channel, month, quarter, theme or attr:NAME)");
        };
    }

    @Override
    public String toString() {
        return attribute == null ? kind : "attr:" + attribute;
    }
}
