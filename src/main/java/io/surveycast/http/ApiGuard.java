package io.surveycast.http;

import org.apache.camel.Exchange;

/**
 * Who may call an API operation: the routes made from the contract ask it, before the operation
 * runs, with the operation's {@code x-role}; it throws an {@link ApiProblem} (401, 403, 429) to refuse.
 * The user feature implements it (tokens and roles are theirs); it is bound as {@code apiAuth}.
 */
public interface ApiGuard {
    void require(Exchange exchange, String role);
}
