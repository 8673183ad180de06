package io.surveycast.contact;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/** One CSV row on its way into the staging table: either its normalised values or why it was rejected. */
record StagedRow(long line, String externalId, String email, String phone, String phoneTimezone, String phoneZones, String name,
                 String locale,
                 String timezone, OffsetDateTime onboardedAt, LocalDate onboardedOn, LocalDate renewalDate, LocalDate churnedAt, String attributesJson,
                 String rejectColumn, String rejectReason) {

    /** A rejected row: its first error's column, and every reason, the later ones as {@code COLUMN: reason} lines. */
    static StagedRow rejected(long line, String externalId, java.util.List<FieldError> errors) {
        StringBuilder reasons = new StringBuilder(oneLine(errors.get(0).getMessage()));
        for (FieldError more : errors.subList(1, errors.size())) {
            reasons.append('\n').append(more.column()).append(": ").append(oneLine(more.getMessage()));
        }
        return new StagedRow(line, externalId, null, null, null, null, null, null, null, null, null, null, null, "{}",
                errors.get(0).column(), reasons.toString());
    }

    private static String oneLine(String reason) {
        return reason.replace('\n', ' ').replace('\r', ' ');
    }
}
