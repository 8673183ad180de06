package io.surveycast.user;

/** An authenticated API or dashboard user. */
public record User(long id, String name, Role role) {
}
