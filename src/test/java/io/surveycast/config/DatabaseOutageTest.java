package io.surveycast.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.support.CapturedLog;
import io.surveycast.support.TestDatabase;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

/** The database lost and back: two log lines, whatever failed meanwhile (issue 18, point 7). */
class DatabaseOutageTest {

    @Test
    void aLostConnectionIsToldOnceAndItsReturnOnceAndAStatementsOwnFaultIsNotAnOutage() {
        var db = TestDatabase.open(TestDatabase.freshUrl());
        try (db) {
            DataAccessException terminated = null;
            // the server ends this session, as a restart of PostgreSQL does
            try {
                db.dsl().connection(c -> {
                    try (var s = c.createStatement()) {
                        s.execute("select pg_terminate_backend(pg_backend_pid())");
                    }
                });
            } catch (DataAccessException e) {
                terminated = e;
            }
            assertThat(terminated).isNotNull();
            assertThat(DatabaseOutage.isConnectionLoss(terminated)).isTrue();
            DataAccessException syntax = null;
            try {
                db.dsl().execute("selec 1");
            } catch (DataAccessException e) {
                syntax = e;
            }
            assertThat(DatabaseOutage.isConnectionLoss(syntax)).as("the statement's own fault").isFalse();

            DatabaseOutage outage = new DatabaseOutage();
            try (CapturedLog log = new CapturedLog()) {
                outage.reached();
                for (int i = 0; i < 50; i++) {
                    outage.lost("dispatching", terminated);
                }
                outage.reached();
                outage.reached();
                assertThat(log.containing("database")).hasSize(2);
                assertThat(log.containing("database lost")).singleElement().asString()
                        .contains("terminating connection due to administrator command").doesNotContain("select");
                assertThat(log.containing("database back")).singleElement().asString().contains("50 pieces of work");
                assertThat(log.lines()).noneMatch(l -> l.contains("[with "));
            }
        }
    }
}
