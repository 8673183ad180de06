package io.surveycast.report;

import io.surveycast.config.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How report rows are grouped: none, or one or two dimensions ({@code --by attr:plan,quarter}: each
 * plan's trend by quarter). A dimension is {@code campaign}, {@code wave} (cycle), {@code channel},
 * {@code month}, {@code quarter}, {@code attr:NAME}, {@code tenure} (at the time the invite went out),
 * {@code category} (of the answer), {@code account} (the account attribute) or {@code theme} (the
 * themes answers mention; alone only).
 */
public record Breakdown(List<Dimension> dimensions) {
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    static final String KINDS = "campaign, wave, channel, month, quarter, tenure, category, theme, account or attr:NAME";
    public static final Breakdown ALL = new Breakdown(List.of());

    /** One dimension: its kind and, for {@code attr}, the attribute's name. */
    public record Dimension(String kind, String attribute) {
        @Override
        public String toString() {
            return kind.equals("attr") ? "attr:" + attribute : kind;
        }
    }

    public Breakdown {
        dimensions = List.copyOf(dimensions);
    }

    /** @throws InvalidInputException naming {@code --by} and what is wrong, in one line */
    public static Breakdown parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        String[] parts = text.split(",", -1);
        if (parts.length > 2) {
            throw new InvalidInputException("--by: at most two dimensions, found " + parts.length + ": " + text);
        }
        List<Dimension> dimensions = new ArrayList<>();
        for (String part : parts) {
            Dimension d = dimension(part.strip(), text);
            if (dimensions.contains(d)) {
                throw new InvalidInputException("--by: " + d + " twice: " + text);
            }
            dimensions.add(d);
        }
        if (dimensions.size() == 2 && dimensions.stream().anyMatch(d -> d.kind().equals("theme"))) {
            throw new InvalidInputException("--by: theme cannot be combined with another dimension: " + text);
        }
        return new Breakdown(dimensions);
    }

    private static Dimension dimension(String text, String whole) {
        if (text.startsWith("attr:")) {
            String name = text.substring(5);
            if (!ATTRIBUTE.matcher(name).matches()) {
                throw new InvalidInputException("--by: attr: needs a contact attribute name (letters, digits, . _ -): " + text);
            }
            return new Dimension("attr", name);
        }
        return switch (text) {
            case "campaign", "wave", "channel", "month", "quarter", "tenure", "category", "theme", "account" ->
                    new Dimension(text, null);
            case "" -> throw new InvalidInputException("--by: an empty dimension in " + whole + " (" + KINDS + ")");
            default -> throw new InvalidInputException("--by: unknown breakdown " + text + " (" + KINDS + ")");
        };
    }

    /** The kind of a one-dimension breakdown, {@code all} for none, {@code pair} for two. */
    public String kind() {
        return switch (dimensions.size()) {
            case 0 -> "all";
            case 1 -> dimensions.get(0).kind();
            default -> "pair";
        };
    }

    /** The attribute of a one-dimension {@code attr:NAME} breakdown, else null. */
    public String attribute() {
        return dimensions.size() == 1 ? dimensions.get(0).attribute() : null;
    }

    public boolean has(String kind) {
        return dimensions.stream().anyMatch(d -> d.kind().equals(kind));
    }

    @Override
    public String toString() {
        return String.join(",", dimensions.stream().map(Dimension::toString).toList());
    }
}
