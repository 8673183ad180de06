package io.surveycast.config;

import java.util.function.Consumer;
import org.jooq.DSLContext;

/** Runs work in a transaction that is committed, or rolled back when it is a dry run. */
public final class Transactions {
    private Transactions() {
    }

    public static void run(DSLContext dsl, boolean rollback, Consumer<DSLContext> work) {
        try {
            dsl.transaction(configuration -> {
                work.accept(configuration.dsl());
                if (rollback) {
                    throw new Rollback();
                }
            });
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof Rollback) {
                    return;
                }
            }
            throw e;
        }
    }

    private static final class Rollback extends RuntimeException {
        Rollback() {
            super(null, null, false, false);
        }
    }
}
