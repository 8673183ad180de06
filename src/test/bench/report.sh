#!/usr/bin/env bash
# Benchmark: reports over N invitations (default 10,000,000, about 30% answered) in a fresh embedded
# PostgreSQL: roll-ups built, the report replica loaded (timed), then every breakdown timed through the
# replica and through PostgreSQL alone (REPORT_POSTGRES=false skips the latter: minutes each at 10M),
# each pair of answers compared, then the dashboard's pages.
# Usage: src/test/bench/report.sh [INVITATIONS [RUNS]]   (needs a JDK 21+ as java or $JAVA_HOME)
# REPORT_DATA=DIR keeps the embedded PostgreSQL's files in DIR: the rows are generated on the first
# run and reused by the next ones (later code's new migrations run on them). REPORT_PAGES_ONLY=true times
# the dashboard's pages alone; REPORT_SLOW_MS=N has PostgreSQL log each statement over N ms
# (PostgreSQL's log: $TMPDIR/surveycast-bench-postgres.log); REPORT_ONLY=REGEX times only the breakdowns
# whose description it finds (e.g. 'nps --by (quarter|month)$'), then stops.
set -euo pipefail
cd "$(dirname "$0")/../../.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
./mvnw -q -DskipTests test-compile
only=()
if [ -n "${REPORT_ONLY:-}" ]; then
    only=("-Dreport.only=$REPORT_ONLY")
fi
cp=$(./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
"$java" -Xmx512m ${REPORT_DATA:+-Dreport.data=$REPORT_DATA} ${REPORT_POSTGRES:+-Dreport.postgres=$REPORT_POSTGRES} ${REPORT_PAGES_ONLY:+-Dreport.pagesOnly=$REPORT_PAGES_ONLY} ${REPORT_SLOW_MS:+-Dreport.slow=$REPORT_SLOW_MS} "${only[@]}" -cp "target/test-classes:target/classes:$cp" io.surveycast.report.ReportBenchmark "${1:-10000000}" "${@:2}"
