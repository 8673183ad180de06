package io.surveycast.report;

/** A published NPS of an industry, with where it was published and the year it is from. */
public record Benchmark(String industry, double nps, String source, String year) {
}
