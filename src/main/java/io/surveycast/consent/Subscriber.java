package io.surveycast.consent;

/** The contact behind an unsubscribe link, and why email is suppressed for it (null: it is not). */
record Subscriber(long contactId, String email, String locale, String suppression) {

    boolean unsubscribed() {
        return "unsubscribed".equals(suppression);
    }
}
