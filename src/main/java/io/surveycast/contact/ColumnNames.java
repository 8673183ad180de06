package io.surveycast.contact;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Catches a misspelled contacts CSV column before it silently becomes an attribute (a
 * {@code timezon} column left every time zone unset, an {@code Owner_Email} one stopped owner
 * alerts): a column is suspect when it is close to a contact field or to an attribute the
 * product reads, i.e. equal ignoring case and separators, a prefix of it up to a separator
 * ({@code renewal} for {@code renewal_date}), or within a small edit distance.
 */
final class ColumnNames {
    /** Attributes the product itself reads: the owner alerted about a detractor, the account, the revenue. */
    static final List<String> KNOWN_ATTRIBUTES = List.of("owner_email", "account", "mrr");
    private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(2);

    private ColumnNames() {
    }

    /** The field or known attribute {@code column} probably means, if it is not exactly that. */
    static Optional<String> meant(String column) {
        if (KNOWN_ATTRIBUTES.contains(column)) {
            return Optional.empty();
        }
        return Stream.concat(Arrays.stream(ContactField.values()).map(ContactField::column), KNOWN_ATTRIBUTES.stream())
                .filter(known -> near(column, known))
                .findFirst();
    }

    private static boolean near(String column, String known) {
        String a = bare(column);
        String b = bare(known);
        if (a.equals(b)) {
            return true;
        }
        String lower = column.toLowerCase(Locale.ROOT);
        if (a.length() >= 4 && known.contains("_") && known.startsWith(lower) && known.charAt(lower.length()) == '_') {
            return true;
        }
        int allowed = b.length() <= 4 ? 1 : 2;
        int distance = DISTANCE.apply(a, b);
        return distance >= 0 && distance <= allowed;
    }

    /** Lower case without separators: {@code Renewal-Date} and {@code renewal_date} are the same column. */
    private static String bare(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-.]", "");
    }
}
