package io.surveycast.channel.email;

import java.util.Optional;
import org.jooq.DSLContext;

/**
 * What the bounce mailbox needs of unsubscribing (a mail {@code unsubscribe <token>}), within the
 * mailbox's transaction. Owned here and implemented by consent, so channel does not depend on
 * consent (which uses channel's templates).
 */
public interface Unsubscribes {
    /** The contact id of a survey token, for records that name who an unsubscribe was for. */
    Optional<Long> contactOf(DSLContext tx, String token);

    /** Unsubscribes the token's contact from email ({@code source}: mailto); false for an unknown token. */
    boolean unsubscribe(DSLContext tx, String token, String source);
}
