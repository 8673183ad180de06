package io.surveycast.consent;

import io.surveycast.channel.email.Unsubscribes;
import io.surveycast.config.AppSecrets;
import java.time.Clock;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Unsubscribing from email by survey token (the link and the mailto of List-Unsubscribe), and
 * undoing it. Pending messages are left queued: the dispatcher checks suppression again just
 * before sending and cancels them (dispatch/SendChecks), so nothing more is emailed, and an undo
 * lets what is still pending go out.
 */
public final class EmailUnsubscribe implements Unsubscribes {
    private final DSLContext dsl;
    private final Clock clock;
    private final UnsubscribeQueries queries = new UnsubscribeQueries();

    public EmailUnsubscribe(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    Optional<Subscriber> find(String token) {
        return queries.find(dsl, token);
    }

    /** Unsubscribes the contact of the token; empty when the token is unknown. */
    Optional<Subscriber> unsubscribe(String token, String source) {
        return dsl.transactionResult(c -> {
            if (!unsubscribe(c.dsl(), token, source)) {
                return Optional.empty();
            }
            return queries.find(c.dsl(), token);
        });
    }

    /** The same within the caller's transaction ({@code source}: one-click, page, mailto); false for an unknown token. */
    @Override
    public boolean unsubscribe(DSLContext tx, String token, String source) {
        Optional<Subscriber> subscriber = queries.find(tx, token);
        subscriber.ifPresent(s -> queries.unsubscribe(tx, s.contactId(), source, clock.instant()));
        return subscriber.isPresent();
    }

    /** The contact id of a token, for records that name who an unsubscribe was for. */
    @Override
    public Optional<Long> contactOf(DSLContext tx, String token) {
        return queries.find(tx, token).map(Subscriber::contactId);
    }

    /** Undoes an unsubscribe (not a bounce or complaint suppression); empty when the token is unknown. */
    Optional<Subscriber> resubscribe(String token) {
        return dsl.transactionResult(c -> {
            Optional<Subscriber> subscriber = queries.find(c.dsl(), token);
            if (subscriber.isEmpty()) {
                return Optional.<Subscriber>empty();
            }
            queries.resubscribe(c.dsl(), subscriber.get().contactId());
            return queries.find(c.dsl(), token);
        });
    }

    public String formSecret() {
        return AppSecrets.named(dsl, "form-signing");
    }
}
