package io.surveycast.http;

import java.security.Principal;

/**
 * Who may call an API operation: the routes made from the contract ask it ({@link ApiGate}), before
 * the operation runs, with the operation's {@code x-role}; it throws an {@link ApiProblem} (401, 403,
 * 429) to refuse. Plain Java: the user feature implements it (tokens and roles are theirs); it is
 * bound as {@code apiAuth}.
 */
public interface ApiGuard {
    /**
     * The caller holding the token of this {@code Authorization} header value (null when none was
     * sent), when their role includes {@code role}. {@code clientAddress} is the connection's, for
     * the back-off on wrong tokens.
     */
    Principal require(String authorization, String clientAddress, String role);
}
