package io.surveycast.consent;

import java.time.Clock;
import java.util.Collection;
import org.jooq.DSLContext;

/**
 * SMS consent given or taken back by text: STOP suppresses SMS for the contacts with that number
 * (reason {@code stop}); START lifts only a {@code stop} suppression (one for another reason, a
 * number found unreachable say, is kept). The dispatcher checks suppressions again before every
 * send, so nothing queued needs cancelling here.
 */
public final class SmsConsent {
    public static final String KEYWORD_SOURCE = "twilio-keyword";
    private final Clock clock;
    private final SmsConsentQueries queries = new SmsConsentQueries();

    public SmsConsent(Clock clock) {
        this.clock = clock;
    }

    /** Suppresses SMS for these contacts, in the caller's transaction; returns how many were newly suppressed. */
    public int stop(DSLContext tx, Collection<Long> contactIds) {
        return queries.suppress(tx, contactIds, "stop", KEYWORD_SOURCE, clock.instant());
    }

    /** Lifts a STOP for these contacts, in the caller's transaction; returns how many suppressions were removed. */
    public int start(DSLContext tx, Collection<Long> contactIds) {
        return queries.liftStop(tx, contactIds);
    }
}
