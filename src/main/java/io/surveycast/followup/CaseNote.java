package io.surveycast.followup;

import java.time.Instant;

/** A note on a case: who wrote it, when, and what. */
public record CaseNote(String author, Instant at, String text) { }
