package io.surveycast.contact;

import static io.surveycast.db.Tables.CONTACT;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.min;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.notExists;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.table;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Table;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The SQL of a contacts import: rows are streamed into a temporary staging table with COPY,
 * duplicates are found and the merge into {@code contact} is done set-based, so memory stays
 * flat whatever the file size.
 */
final class ContactImportQueries {
    private static final Table<Record> STAGE = table(name("contact_stage"));
    private static final Field<Long> LINE = field(name("contact_stage", "line"), Long.class);
    private static final Field<String> EXTERNAL_ID = field(name("contact_stage", "external_id"), String.class);
    private static final Field<String> EMAIL = field(name("contact_stage", "email"), String.class);
    private static final Field<String> PHONE = field(name("contact_stage", "phone"), String.class);
    private static final Field<String> PHONE_TIMEZONE = field(name("contact_stage", "phone_timezone"), String.class);
    private static final Field<String[]> PHONE_ZONES = field(name("contact_stage", "phone_zones"), String[].class);
    private static final Field<LocalDate> ONBOARDED_ON = field(name("contact_stage", "onboarded_on"), LocalDate.class);
    private static final Field<String> NAME = field(name("contact_stage", "name"), String.class);
    private static final Field<String> LOCALE = field(name("contact_stage", "locale"), String.class);
    private static final Field<String> TIMEZONE = field(name("contact_stage", "timezone"), String.class);
    private static final Field<OffsetDateTime> ONBOARDED_AT = field(name("contact_stage", "onboarded_at"), OffsetDateTime.class);
    private static final Field<LocalDate> RENEWAL_DATE = field(name("contact_stage", "renewal_date"), LocalDate.class);
    private static final Field<LocalDate> CHURNED_AT = field(name("contact_stage", "churned_at"), LocalDate.class);
    private static final Field<JSONB> ATTRIBUTES = field(name("contact_stage", "attributes"), JSONB.class);
    private static final Field<String> REJECT_COLUMN = field(name("contact_stage", "reject_column"), String.class);
    private static final Field<String> REJECT_REASON = field(name("contact_stage", "reject_reason"), String.class);
    private static final int COPY_BATCH = 2000;

    record Rejection(long line, String column, String reason) {
    }

    void createStage(DSLContext tx) {
        tx.createTemporaryTable(STAGE)
                .column(LINE.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.BIGINT)
                .column(EXTERNAL_ID.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.CLOB)
                .column(EMAIL.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.CLOB)
                .column(PHONE.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.CLOB)
                .column(PHONE_TIMEZONE.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.CLOB)
                .column(PHONE_ZONES.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.CLOB.array())
                .column(NAME.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.CLOB)
                .column(LOCALE.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.CLOB)
                .column(TIMEZONE.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.CLOB)
                .column(ONBOARDED_AT.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.TIMESTAMPWITHTIMEZONE)
                .column(ONBOARDED_ON.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.LOCALDATE)
                .column(RENEWAL_DATE.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.LOCALDATE)
                .column(CHURNED_AT.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.LOCALDATE)
                .column(ATTRIBUTES.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.JSONB)
                .column(REJECT_COLUMN.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.CLOB)
                .column(REJECT_REASON.getUnqualifiedName().first(), org.jooq.impl.SQLDataType.CLOB)
                .onCommitDrop()
                .execute();
    }

    /** Streams rows into the staging table with COPY; {@code producer} is handed a sink for the rows. */
    void copyIntoStage(DSLContext tx, Consumer<Consumer<StagedRow>> producer) {
        tx.connection(connection -> {
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY contact_stage FROM STDIN (FORMAT csv)");
            StringBuilder batch = new StringBuilder(COPY_BATCH * 128);
            int[] pending = {0};
            try {
                producer.accept(row -> {
                    appendCsv(batch, row);
                    if (++pending[0] == COPY_BATCH) {
                        try {
                            write(copy, batch);
                        } catch (SQLException e) {
                            throw new org.jooq.exception.DataAccessException("COPY into contact_stage failed", e);
                        }
                        pending[0] = 0;
                    }
                });
                write(copy, batch);
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        });
        tx.execute("analyze contact_stage");
    }

    /**
     * Refreshes the planner statistics of {@code contact} after the import changed it: a due-scan
     * right after a large import would otherwise be planned for the row count of before (a few
     * contacts) and join the new ones quadratically. ANALYZE samples a fixed number of rows.
     */
    void analyzeContacts(DSLContext tx) {
        tx.execute("analyze contact");
    }

    /** Rejects every row whose external_id appeared on an earlier line. */
    void rejectDuplicates(DSLContext tx) {
        var firsts = tx.select(EXTERNAL_ID.as("id"), min(LINE).as("first_line"))
                .from(STAGE)
                .where(EXTERNAL_ID.isNotNull())
                .groupBy(EXTERNAL_ID)
                .having(org.jooq.impl.DSL.count().gt(1))
                .asTable("d");
        Field<String> id = firsts.field("id", String.class);
        Field<Long> firstLine = firsts.field("first_line", Long.class);
        tx.update(STAGE)
                .set(REJECT_COLUMN, "external_id")
                .set(REJECT_REASON, org.jooq.impl.DSL.concat(inline("duplicate external_id (first on line "),
                        firstLine.cast(String.class), inline(")")))
                .from(firsts)
                .where(EXTERNAL_ID.eq(id))
                .and(LINE.gt(firstLine))
                .and(REJECT_REASON.isNull())
                .execute();
    }

    /** Updates the existing contacts whose staged values differ; returns how many changed. */
    int updateChanged(DSLContext tx, ContactCsvHeader header, OffsetDateTime now) {
        Field<JSONB> merged = field("jsonb_strip_nulls({0} || {1})", JSONB.class, CONTACT.ATTRIBUTES, ATTRIBUTES);
        Map<Field<?>, Field<?>> sets = new LinkedHashMap<>();
        List<Condition> changes = new ArrayList<>();
        for (var pair : columnPairs(header).entrySet()) {
            sets.put(pair.getKey(), pair.getValue());
            changes.add(pair.getKey().isDistinctFrom((Field) pair.getValue()));
        }
        sets.put(CONTACT.ATTRIBUTES, merged);
        changes.add(CONTACT.ATTRIBUTES.isDistinctFrom(merged));
        sets.put(CONTACT.UPDATED_AT, inline(now));
        return tx.update(CONTACT)
                .set(sets)
                .from(STAGE)
                .where(REJECT_REASON.isNull())
                .and(CONTACT.EXTERNAL_ID.eq(EXTERNAL_ID))
                .and(org.jooq.impl.DSL.or(changes))
                .execute();
    }

    /** Inserts the staged contacts that do not exist yet; returns how many. */
    int insertNew(DSLContext tx, ContactCsvHeader header, OffsetDateTime now) {
        Map<Field<?>, Field<?>> pairs = new LinkedHashMap<>();
        pairs.put(CONTACT.EXTERNAL_ID, EXTERNAL_ID);
        pairs.putAll(columnPairs(header));
        pairs.put(CONTACT.ATTRIBUTES, field("jsonb_strip_nulls({0})", JSONB.class, ATTRIBUTES));
        pairs.put(CONTACT.CREATED_AT, inline(now));
        pairs.put(CONTACT.UPDATED_AT, inline(now));
        var c = CONTACT.as("existing");
        return tx.insertInto(CONTACT, pairs.keySet())
                .select(tx.select(pairs.values())
                        .from(STAGE)
                        .where(REJECT_REASON.isNull())
                        .and(notExists(selectOne().from(c).where(c.EXTERNAL_ID.eq(EXTERNAL_ID))))
                        .orderBy(LINE))
                .onConflict(CONTACT.EXTERNAL_ID).doNothing()
                .execute();
    }

    /** Every rejected row in line order, streamed. */
    void rejections(DSLContext tx, Consumer<Rejection> sink) {
        try (var cursor = tx.select(LINE, REJECT_COLUMN, REJECT_REASON)
                .from(STAGE)
                .where(REJECT_REASON.isNotNull())
                .orderBy(LINE)
                .fetchSize(1000)
                .fetchLazy()) {
            for (var r : cursor) {
                sink.accept(new Rejection(r.value1(), r.value2(), r.value3()));
            }
        }
    }

    long stagedCount(DSLContext tx) {
        return tx.fetchCount(STAGE);
    }

    long rejectedCount(DSLContext tx) {
        return tx.fetchCount(STAGE, REJECT_REASON.isNotNull());
    }

    /** contact column -> staged column, for the fields the file has a column for. */
    private static Map<Field<?>, Field<?>> columnPairs(ContactCsvHeader header) {
        Map<Field<?>, Field<?>> pairs = new LinkedHashMap<>();
        if (header.has(ContactField.EMAIL)) pairs.put(CONTACT.EMAIL, EMAIL);
        if (header.has(ContactField.PHONE)) {
            pairs.put(CONTACT.PHONE, PHONE);
            pairs.put(CONTACT.PHONE_TIMEZONE, PHONE_TIMEZONE);
            pairs.put(CONTACT.PHONE_ZONES, PHONE_ZONES);
        }
        if (header.has(ContactField.NAME)) pairs.put(CONTACT.NAME, NAME);
        if (header.has(ContactField.LOCALE)) pairs.put(CONTACT.LOCALE, LOCALE);
        if (header.has(ContactField.TIMEZONE)) pairs.put(CONTACT.TIMEZONE, TIMEZONE);
        if (header.has(ContactField.ONBOARDED_AT)) {
            pairs.put(CONTACT.ONBOARDED_AT, ONBOARDED_AT);
            pairs.put(CONTACT.ONBOARDED_ON, ONBOARDED_ON);
        }
        if (header.has(ContactField.RENEWAL_DATE)) pairs.put(CONTACT.RENEWAL_DATE, RENEWAL_DATE);
        if (header.has(ContactField.CHURNED_AT)) pairs.put(CONTACT.CHURNED_AT, CHURNED_AT);
        return pairs;
    }

    private static void write(CopyIn copy, StringBuilder batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        byte[] bytes = batch.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        batch.setLength(0);
    }

    private static void appendCsv(StringBuilder out, StagedRow row) {
        out.append(row.line());
        cell(out, row.externalId());
        cell(out, row.email());
        cell(out, row.phone());
        cell(out, row.phoneTimezone());
        cell(out, row.phoneZones());
        cell(out, row.name());
        cell(out, row.locale());
        cell(out, row.timezone());
        cell(out, row.onboardedAt() == null ? null : row.onboardedAt().toString());
        cell(out, row.onboardedOn() == null ? null : row.onboardedOn().toString());
        cell(out, row.renewalDate() == null ? null : row.renewalDate().toString());
        cell(out, row.churnedAt() == null ? null : row.churnedAt().toString());
        cell(out, row.attributesJson());
        cell(out, row.rejectColumn());
        cell(out, row.rejectReason());
        out.append('\n');
    }

    /** A CSV cell for COPY: unquoted empty is NULL, anything else is quoted. */
    private static void cell(StringBuilder out, String value) {
        out.append(',');
        if (value != null) {
            out.append('"').append(value.replace("\"", "\"\"")).append('"');
        }
    }
}
