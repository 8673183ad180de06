package io.surveycast.user;

import io.surveycast.config.Sha256;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Browser sessions for the admin pages: opened with a user's API token, identified by a random
 * id (only its hash is stored), valid for {@link #LIFETIME}. The role is the user's, read anew on
 * every request, so disabling a user ends their sessions at once.
 */
final class Sessions {
    public static final Duration LIFETIME = Duration.ofHours(12);
    private final SecureRandom random = new SecureRandom();
    private final DSLContext dsl;
    private final Clock clock;
    private final Users users;
    private final SessionQueries queries = new SessionQueries();

    public record Opened(String sessionId, User user) { }

    public Sessions(DSLContext dsl, Clock clock, Users users) {
        this.dsl = dsl;
        this.clock = clock;
        this.users = users;
    }

    /** A new session for the token's user; empty for a token that is not (or no longer) valid. */
    public Optional<Opened> open(String token) {
        return users.authenticate(token == null ? null : token.strip()).map(user -> {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Instant now = clock.instant();
            queries.insert(dsl, Sha256.hex(id), user.id(), now, now.plus(LIFETIME));
            return new Opened(id, user);
        });
    }

    public Optional<User> user(String sessionId) {
        if (sessionId == null || sessionId.isEmpty() || sessionId.length() > 100) {
            return Optional.empty();
        }
        return queries.user(dsl, Sha256.hex(sessionId), clock.instant());
    }

    /** Ends the session (and drops every expired one while at it). */
    public void close(String sessionId) {
        queries.delete(dsl, Sha256.hex(sessionId == null ? "" : sessionId), clock.instant());
    }
}
