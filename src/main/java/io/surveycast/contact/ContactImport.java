package io.surveycast.contact;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.surveycast.audit.AuditLog;
import io.surveycast.config.InvalidInputException;
import io.surveycast.csv.CsvImport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jooq.DSLContext;

/**
 * Imports a contacts CSV: upsert by external_id, every bad row reported by line, column and
 * reason and left out, the good rows applied in one transaction (or, in a dry run, counted
 * and rolled back). Columns the file does not have are left as they are on existing contacts;
 * an empty attribute cell removes that attribute.
 */
public final class ContactImport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char REPLACEMENT = '\uFFFD';

    private final DSLContext dsl;
    private final Clock clock;
    private final ContactFieldParser parser;
    private final AuditLog audit;
    private final ContactImportQueries queries = new ContactImportQueries();

    public ContactImport(DSLContext dsl, Clock clock, String defaultPhoneRegion) {
        this.dsl = dsl;
        this.clock = clock;
        this.parser = new ContactFieldParser(defaultPhoneRegion);
        this.audit = new AuditLog(clock);
    }

    /**
     * @param rejections receives one {@code FILE:LINE: COLUMN: reason} line per rejected row, in line order
     * @throws InvalidInputException when the file as a whole cannot be read (missing, bad header, broken quoting)
     */
    public ImportSummary run(Path file, boolean dryRun, String actor, Consumer<String> rejections) {
        return run(file, dryRun, actor, java.util.Set.of(), rejections);
    }

    /**
     * @param acceptedColumns columns kept as attributes although their name is close to a contact
     *                        field or a known attribute (otherwise such a column refuses the file)
     */
    public ImportSummary run(Path file, boolean dryRun, String actor, java.util.Set<String> acceptedColumns,
                             Consumer<String> rejections) {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return CsvImport.inTransaction(dsl, file, dryRun, tx -> {
            queries.createStage(tx);
            ContactCsvHeader[] header = new ContactCsvHeader[1];
            queries.copyIntoStage(tx, sink -> header[0] = CsvImport.read(file,
                    (line, names) -> ContactCsvHeader.parse(file.toString(), line, names, acceptedColumns),
                    (parsed, record) -> sink.accept(stage(parsed, record))));
            queries.rejectDuplicates(tx);
            int updated = queries.updateChanged(tx, header[0], now);
            int imported = queries.insertNew(tx, header[0], now);
            if (!dryRun && imported + updated > 0) {
                // the planner's next scan must not plan for the table it knew before (issue 18.4)
                queries.analyzeContacts(tx);
            }
            long rejected = queries.rejectedCount(tx);
            queries.rejections(tx, r -> {
                // a row's further errors follow its first on their own lines, each "COLUMN: reason"
                String[] reasons = r.reason().split("\n");
                rejections.accept(file + ":" + r.line() + ": " + r.column() + ": " + reasons[0]);
                for (int i = 1; i < reasons.length; i++) {
                    rejections.accept(file + ":" + r.line() + ": " + reasons[i]);
                }
            });
            long total = queries.stagedCount(tx);
            ImportSummary summary = new ImportSummary(imported, updated, total - rejected - imported - updated, rejected);
            if (!dryRun) {
                audit.record(tx, actor, "contacts.import", "contact", null, Map.of(
                        "file", file.toString(), "imported", imported, "updated", updated,
                        "unchanged", summary.unchanged(), "rejected", rejected));
            }
            return summary;
        });
    }

    StagedRow stage(ContactCsvHeader header, CsvRecord record) {
        long line = record.getStartingLineNumber();
        List<String> cells = record.getFields();
        String rawId = cells.isEmpty() || !header.has(ContactField.EXTERNAL_ID) || cells.size() != header.width()
                ? null : header.value(cells, ContactField.EXTERNAL_ID);
        if (cells.size() != header.width()) {
            return StagedRow.rejected(line, null, List.of(new FieldError("row",
                    "expected " + header.width() + " columns, found " + cells.size())));
        }
        // every error of the row is reported, so a file is fixed in one pass, not one error per run
        List<FieldError> errors = new ArrayList<>();
        java.util.Set<String> unreadable = new java.util.HashSet<>();
        for (int i = 0; i < cells.size(); i++) {
            String reason = cells.get(i).indexOf(REPLACEMENT) >= 0 ? "not valid UTF-8 text"
                    : ContactLimits.unstorable(cells.get(i));
            if (reason != null) {
                errors.add(new FieldError(header.columnName(i), reason));
                unreadable.add(header.columnName(i));
            }
        }
        Cells row = new Cells(header, cells, unreadable, errors);
        String id = row.get(ContactField.EXTERNAL_ID, parser::externalId);
        if (!unreadable.contains("external_id") && rawId == null) {
            errors.add(new FieldError("external_id", "missing"));
        }
        String email = row.get(ContactField.EMAIL, parser::email);
        String phone = row.get(ContactField.PHONE, parser::phone);
        String name = row.get(ContactField.NAME, parser::name);
        String locale = row.get(ContactField.LOCALE, parser::locale);
        String timezone = row.get(ContactField.TIMEZONE, parser::timezone);
        List<String> phoneZones = parser.phoneZones(phone);
        // a date-only onboarded_at is midnight in the zone chain, as renewal dates are
        String zoneChain = timezone != null ? timezone : phoneZones.isEmpty() ? null : phoneZones.get(0);
        var onboardedAt = row.get(ContactField.ONBOARDED_AT, v -> parser.onboardedAt(v, zoneChain));
        var renewalDate = row.get(ContactField.RENEWAL_DATE, parser::renewalDate);
        var churnedAt = row.get(ContactField.CHURNED_AT, parser::churnedAt);
        if (email == null && phone == null && header.value(cells, ContactField.EMAIL) == null
                && header.value(cells, ContactField.PHONE) == null) {
            errors.add(new FieldError(header.has(ContactField.EMAIL) ? "email" : "phone", "needs an email or a phone number"));
        }
        ObjectNode attributes = JSON.createObjectNode();
        for (int n = 0; n < header.attributeNames().size(); n++) {
            String attribute = header.attributeNames().get(n);
            if (!unreadable.contains(attribute)) {
                try {
                    attributes.put(attribute, parser.attribute(attribute, header.attribute(cells, n)));
                } catch (FieldError e) {
                    errors.add(e);
                }
            }
        }
        if (!errors.isEmpty()) {
            return StagedRow.rejected(line, unreadable.contains("external_id") ? null : rawId, errors);
        }
        try {
            return new StagedRow(line, id, email, phone, phoneZones.size() == 1 ? phoneZones.get(0) : null,
                    ContactFieldParser.zonesLiteral(phoneZones), name, locale, timezone, onboardedAt,
                    parser.onboardedOn(header.value(cells, ContactField.ONBOARDED_AT)), renewalDate, churnedAt,
                    JSON.writeValueAsString(attributes), null, null);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value checker that may refuse the value. */
    private interface Check<T> {
        T apply(String value) throws FieldError;
    }

    /** The cells of one row, each field checked once; a refused field adds its error and reads as null. */
    private record Cells(ContactCsvHeader header, List<String> cells, java.util.Set<String> unreadable,
                         List<FieldError> errors) {
        <T> T get(ContactField field, Check<T> check) {
            if (unreadable.contains(field.column()) || (field != ContactField.EXTERNAL_ID && !header.has(field))) {
                return null;
            }
            String value = header.value(cells, field);
            if (value == null && field == ContactField.EXTERNAL_ID) {
                return null;
            }
            try {
                return check.apply(value);
            } catch (FieldError e) {
                errors.add(e);
                return null;
            }
        }
    }
}
