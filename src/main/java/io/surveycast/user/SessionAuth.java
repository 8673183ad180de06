package io.surveycast.user;

import io.surveycast.http.ApiProblem;
import io.surveycast.http.SessionGuard;

/**
 * The session behind an admin page: the user, when their session is live and their role is enough.
 * {@link io.surveycast.http.PageAccess} reads the cookie and answers a refusal (to the login page, or 403).
 */
public final class SessionAuth implements SessionGuard<User> {
    private final Sessions sessions;

    public SessionAuth(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public User require(String sessionId, String role) {
        Role needed = Role.of(role);
        User user = (sessionId == null ? java.util.Optional.<User>empty() : sessions.user(sessionId))
                .orElseThrow(ApiProblem::unauthorized);
        if (!user.role().includes(needed)) {
            throw ApiProblem.forbidden(needed.id());
        }
        return user;
    }
}
