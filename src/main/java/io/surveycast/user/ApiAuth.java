package io.surveycast.user;

import io.surveycast.http.ApiGuard;
import io.surveycast.http.ApiProblem;
import io.surveycast.http.TokenBackoff;

/**
 * Checks the Bearer token of an API request against the role it needs (the operation's
 * {@code x-role} in openapi.yaml), before the operation runs, with the back-off on wrong tokens per
 * client address. {@link io.surveycast.http.ApiGate} reads the request and keeps the user returned.
 */
final class ApiAuth implements ApiGuard {
    private final Users users;
    private final TokenBackoff backoff;

    public ApiAuth(Users users, TokenBackoff backoff) {
        this.users = users;
        this.backoff = backoff;
    }

    @Override
    public User require(String authorization, String clientAddress, String role) {
        return require(authorization, clientAddress, Role.of(role));
    }

    User require(String authorization, String clientAddress, Role needed) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiProblem.unauthorized();
        }
        var blocked = backoff.blockedFor(clientAddress);
        if (blocked.isPresent()) {
            throw new ApiProblem(429, "Too Many Requests", "too many wrong tokens from this address; try again in "
                    + blocked.getAsLong() + " s").withHeader("Retry-After", Long.toString(blocked.getAsLong()));
        }
        var found = users.authenticate(authorization.substring(7).trim());
        if (found.isEmpty()) {
            backoff.failed(clientAddress, "the API");
            throw ApiProblem.unauthorized();
        }
        User user = found.get();
        if (!user.role().includes(needed)) {
            throw ApiProblem.forbidden(needed.id());
        }
        return user;
    }
}
