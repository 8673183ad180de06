package io.surveycast.web;

import io.surveycast.user.Role;
import io.surveycast.user.User;
import io.surveycast.user.Users;
import org.apache.camel.Exchange;

/**
 * Checks the Bearer token of an API request and the role it needs; routes call one of the role
 * methods before their handler. The user is left in the exchange property {@code user}.
 */
public final class ApiAuth {
    public static final String USER = "surveycast.user";
    private final Users users;
    private final TokenBackoff backoff;

    public ApiAuth(Users users, TokenBackoff backoff) {
        this.users = users;
        this.backoff = backoff;
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
    }
}
