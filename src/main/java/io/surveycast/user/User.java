package io.surveycast.user;

import java.security.Principal;

/** An authenticated API or dashboard user. */
public record User(long id, String name, Role role) implements Principal {
    @Override
    public String getName() {
        return name;
    }
}
