package io.surveycast.user;

import java.util.Locale;

/** What a user may do; each role includes the ones below it. */
public enum Role {
    VIEWER, OPS, ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
