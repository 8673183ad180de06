package io.surveycast.http;

import java.security.Principal;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The Camel side of the API's role check: takes the {@code Authorization} header off the request
 * (no endpoint sees the token), asks the {@link ApiGuard} with the client's address, and leaves the
 * caller in the exchange properties {@link #USER} and {@link ApiRequest#ACTOR}.
 */
public final class ApiGate {
    /** The exchange property holding the authenticated caller, as the {@link ApiGuard} returned it. */
    public static final String USER = "surveycast.user";

    private ApiGate() {
    }

    public static void admit(Exchange exchange, ApiGuard guard, String role) {
        Message in = exchange.getMessage();
        String authorization = in.getHeader("Authorization", String.class);
        in.removeHeader("Authorization");
        Principal caller = guard.require(authorization, TokenBackoff.clientAddress(in), role);
        exchange.setProperty(USER, caller);
        exchange.setProperty(ApiRequest.ACTOR, caller.getName());
    }
}
