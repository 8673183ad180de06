package io.surveycast.contact;

/** What a contacts import did (or, in a dry run, would do). */
public record ImportSummary(long imported, long updated, long unchanged, long rejected) {
    /** The one line that scripts read. */
    public String line() {
        return "imported " + imported + ", updated " + updated + ", unchanged " + unchanged + ", rejected " + rejected;
    }
}
