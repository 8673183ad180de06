package io.surveycast.contact;

import io.surveycast.config.InvalidInputException;
import io.surveycast.csv.CsvImport;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Where each contact field and attribute sits in a contacts CSV, checked once from its header row. */
final class ContactCsvHeader {
    private final Map<ContactField, Integer> fields;
    private final List<String> attributeNames;
    private final List<Integer> attributeIndexes;
    private final int width;

    private ContactCsvHeader(Map<ContactField, Integer> fields, List<String> attributeNames,
                             List<Integer> attributeIndexes, int width) {
        this.fields = fields;
        this.attributeNames = attributeNames;
        this.attributeIndexes = attributeIndexes;
        this.width = width;
    }

    static ContactCsvHeader parse(String file, long line, List<String> names) {
        return parse(file, line, names, Set.of());
    }

    /**
     * @param accepted attribute columns taken as they are even though their name is close to a
     *                 contact field or a known attribute ({@code --accept-column})
     */
    static ContactCsvHeader parse(String file, long line, List<String> names, Set<String> accepted) {
        Map<ContactField, Integer> fields = new EnumMap<>(ContactField.class);
        List<String> attributeNames = new ArrayList<>();
        List<Integer> attributeIndexes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = CsvImport.headerName(names, i);
            String problem = CsvImport.headerProblem(file, line, i, name);
            if (problem != null) {
                errors.add(problem);
                continue;
            }
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                errors.add(file + ":" + line + ": " + name + ": column appears twice in the header");
                continue;
            }
            var field = ContactField.forColumn(name);
            if (field.isPresent()) {
                fields.put(field.get(), i);
            } else {
                String bad = ContactLimits.attributeName(name);
                if (bad != null) {
                    errors.add(file + ":" + line + ": " + ContactFieldParser.shown(name) + ": " + bad);
                    continue;
                }
                var meant = accepted.contains(name) ? java.util.Optional.<String>empty() : ColumnNames.meant(name);
                if (meant.isPresent()) {
                    errors.add(file + ":" + line + ": " + name + ": unknown column; did you mean " + meant.get()
                            + "? (--accept-column " + name + " keeps it as an attribute)");
                    continue;
                }
                attributeNames.add(name);
                attributeIndexes.add(i);
            }
        }
        if (attributeNames.size() > ContactLimits.ATTRIBUTES) {
            errors.add(file + ":" + line + ": " + attributeNames.get(ContactLimits.ATTRIBUTES)
                    + ": more than " + ContactLimits.ATTRIBUTES + " attribute columns");
        }
        if (!fields.containsKey(ContactField.EXTERNAL_ID)) {
            errors.add(file + ":" + line + ": external_id: required column is missing from the header");
        }
        if (!fields.containsKey(ContactField.EMAIL) && !fields.containsKey(ContactField.PHONE)) {
            errors.add(file + ":" + line + ": email: the header needs an email or a phone column");
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new ContactCsvHeader(fields, List.copyOf(attributeNames), List.copyOf(attributeIndexes), names.size());
    }

    boolean has(ContactField field) {
        return fields.containsKey(field);
    }

    /** The cell of a field, stripped, or null when the column is absent or the cell empty. */
    String value(List<String> row, ContactField field) {
        Integer index = fields.get(field);
        return index == null ? null : clean(row.get(index));
    }

    List<String> attributeNames() {
        return attributeNames;
    }

    String attribute(List<String> row, int n) {
        return clean(row.get(attributeIndexes.get(n)));
    }

    int width() {
        return width;
    }

    /** The column name of cell {@code index}. */
    String columnName(int index) {
        for (var entry : fields.entrySet()) {
            if (entry.getValue() == index) {
                return entry.getKey().column();
            }
        }
        return attributeNames.get(attributeIndexes.indexOf(index));
    }

    private static String clean(String cell) {
        String value = cell.strip();
        return value.isEmpty() ? null : value;
    }
}
