package io.surveycast.user;

import org.apache.camel.Exchange;
import io.surveycast.http.ApiGuard;
import io.surveycast.http.ApiProblem;
import io.surveycast.http.ApiRequest;
import io.surveycast.http.TokenBackoff;

/**
 * Checks the Bearer token of an API request and the role it needs (the operation's {@code x-role}
 * in openapi.yaml), before the operation runs. The user is left in the exchange property
 * {@link #USER}, their name in {@link ApiRequest#ACTOR}.
 */
public final class ApiAuth implements ApiGuard {
    public static final String USER = "surveycast.user";
    private final Users users;
    private final TokenBackoff backoff;

    public ApiAuth(Users users, TokenBackoff backoff) {
        this.users = users;
        this.backoff = backoff;
    }

    @Override
    public void require(Exchange exchange, String role) {
        require(exchange, Role.of(role));
    }

    public void viewer(Exchange exchange) {
        require(exchange, Role.VIEWER);
    }

    public void ops(Exchange exchange) {
        require(exchange, Role.OPS);
    }

    public void admin(Exchange exchange) {
        require(exchange, Role.ADMIN);
    }

    private void require(Exchange exchange, Role needed) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiProblem.unauthorized();
        }
        String address = TokenBackoff.clientAddress(exchange.getMessage());
        var blocked = backoff.blockedFor(address);
        if (blocked.isPresent()) {
            throw new ApiProblem(429, "Too Many Requests", "too many wrong tokens from this address; try again in "
                    + blocked.getAsLong() + " s").withHeader("Retry-After", Long.toString(blocked.getAsLong()));
        }
        var found = users.authenticate(header.substring(7).trim());
        if (found.isEmpty()) {
            backoff.failed(address, "the API");
            throw ApiProblem.unauthorized();
        }
        User user = found.get();
        if (!user.role().includes(needed)) {
            throw ApiProblem.forbidden(needed.id());
        }
        exchange.setProperty(USER, user);
        exchange.setProperty(ApiRequest.ACTOR, user.name());
    }
}
