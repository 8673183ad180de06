package io.surveycast.contact;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/** One CSV row on its way into the staging table: either its normalised values or why it was rejected. */
record StagedRow(long line, String externalId, String email, String phone, String phoneTimezone, String phoneZones, String name,
                 String locale,
                 String timezone, OffsetDateTime onboardedAt, LocalDate onboardedOn, LocalDate renewalDate, String attributesJson,
                 String rejectColumn, String rejectReason) {

    static StagedRow rejected(long line, String externalId, String column, String reason) {
        return new StagedRow(line, externalId, null, null, null, null, null, null, null, null, null, null, "{}", column, reason);
    }
}
