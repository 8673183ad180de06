#!/usr/bin/env bash
# Benchmark: dispatch to local stubs, in a fresh embedded PostgreSQL, -Xmx256m.
#   src/test/bench/dispatch.sh email [N]            N emails (default 20000) vs a bare Jakarta Mail loop
#   src/test/bench/dispatch.sh sms [SECONDS] [RATE] SMS at RATE/s (default 50) for SECONDS (default 60)
#   src/test/bench/dispatch.sh overhead [N]         the dispatcher alone: a channel that accepts at once, no SMTP
#   src/test/bench/dispatch.sh direct [N]           the dispatcher with SMTP, the channel called without Camel
# JAVA_OPTS=-Dpgss=true also prints PostgreSQL's statements by time (pg_stat_statements) after the run.
# Needs a JDK 21+ as java or $JAVA_HOME.
set -euo pipefail
cd "$(dirname "$0")/../../.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
./mvnw -q -DskipTests test-compile
cp=$(./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
"$java" -Xmx256m ${JAVA_OPTS:-} -cp "target/test-classes:target/classes:$cp" io.surveycast.dispatch.DispatchBenchmark "$@"
