package io.surveycast.contact;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The columns of a contacts CSV that map to contact fields; every other column is an attribute. */
enum ContactField {
    EXTERNAL_ID, EMAIL, PHONE, NAME, LOCALE, TIMEZONE, ONBOARDED_AT, RENEWAL_DATE, CHURNED_AT;

    String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<ContactField> forColumn(String column) {
        return Arrays.stream(values()).filter(f -> f.column().equalsIgnoreCase(column)).findFirst();
    }
}
