package io.surveycast.report;

/**
 * What a {@code --by theme} row is weighed against: the period's comments and detractors'
 * comments (with how many of them mention the theme) and all its answers by category.
 * {@code mentions} is the row's {@code responded}: the answers that mention the theme.
 */
record ThemeShare(long commentMentions, long comments, long detractorCommentMentions, long detractorComments,
        long answers, long allPromoters, long allDetractors) {

    /** The share of all comments that mention the theme, in percent (null without comments). */
    public Double commentShare() {
        return comments == 0 ? null : ReportRow.round(100.0 * commentMentions / comments);
    }

    /** The share of detractors' comments that mention the theme, in percent (null without any). */
    public Double detractorCommentShare() {
        return detractorComments == 0 ? null : ReportRow.round(100.0 * detractorCommentMentions / detractorComments);
    }

    /**
     * Overall NPS minus the NPS of the answers that do not mention the theme (of the row's
     * {@code promoters}, {@code detractors} and {@code mentions}): negative when the theme drags
     * the score down. Null when there are no answers, or none without the theme.
     */
    Double npsImpact(long promoters, long detractors, long mentions) {
        long rest = answers - mentions;
        if (answers == 0 || rest == 0) {
            return null;
        }
        double overall = 100.0 * (allPromoters - allDetractors) / answers;
        double without = 100.0 * ((allPromoters - promoters) - (allDetractors - detractors)) / rest;
        return ReportRow.round(overall - without);
    }
}
