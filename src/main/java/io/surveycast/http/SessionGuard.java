package io.surveycast.http;

/**
 * Who may see a page: {@link PageAccess} asks it with the session cookie's value and the role the
 * page needs. Plain Java: the user feature implements it (sessions and roles are theirs).
 *
 * @param <U> the signed-in user the pages are given
 */
public interface SessionGuard<U> {
    /**
     * The user of this live session (null when the request has no session cookie) when their role
     * includes {@code role}; otherwise throws {@link ApiProblem#unauthorized()} (no live session)
     * or {@link ApiProblem#forbidden(String)} (the role is not enough).
     */
    U require(String sessionId, String role);
}
