package io.surveycast.report;

import io.surveycast.config.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/**
 * {@code --where attr:NAME=VALUE}, repeatable: the contacts whose attribute NAME has one of the
 * values given for it (values of one attribute OR-ed) and who match every attribute named (different
 * attributes AND-ed). The contact's current attributes count: contacts keep no attribute history.
 */
public record SegmentFilter(Map<String, Set<String>> values) {
    private static final Pattern WHERE = Pattern.compile("attr:([A-Za-z0-9_.-]{1,100})=(.*)", Pattern.DOTALL);
    public static final SegmentFilter NONE = new SegmentFilter(Map.of());

    public SegmentFilter {
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, Set.copyOf(new LinkedHashSet<>(v))));
        values = Map.copyOf(copy);
    }

    /** @throws InvalidInputException naming {@code --where} and the bad item, in one line */
    public static SegmentFilter parse(List<String> items) {
        if (items == null || items.isEmpty()) {
            return NONE;
        }
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (String item : items) {
            Matcher m = WHERE.matcher(item == null ? "" : item.strip());
            if (!m.matches() || m.group(2).isBlank()) {
                throw new InvalidInputException("--where: expected attr:NAME=VALUE (NAME: letters, digits, . _ -), found: "
                        + shown(item));
            }
            values.computeIfAbsent(m.group(1), k -> new LinkedHashSet<>()).add(m.group(2).strip());
        }
        return new SegmentFilter(values);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * The contacts of the segment, for jOOQ queries on the contact's {@code attributes}: as statement
     * segment-attribute of sql/report.sql has it, each attribute's current value one of its values.
     */
    public Condition matches(Field<JSONB> attributes) {
        Condition in = DSL.noCondition();
        for (var attribute : values.entrySet()) {
            in = in.and(DSL.jsonbGetAttributeAsText(attributes, attribute.getKey()).in(attribute.getValue()));
        }
        return in;
    }

    private static String shown(String item) {
        String s = String.valueOf(item).replaceAll("\\p{Cntrl}", "?");
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
