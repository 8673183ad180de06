package io.surveycast.contact;

/** One bad cell: the column it is in and why it was refused. */
final class FieldError extends Exception {
    private final String column;

    FieldError(String column, String reason) {
        super(reason, null, false, false);
        this.column = column;
    }

    String column() {
        return column;
    }
}
