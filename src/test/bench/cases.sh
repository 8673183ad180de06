#!/usr/bin/env bash
# Benchmark: the follow-up case queue with N cases (default 100,000) in a fresh embedded PostgreSQL:
# cases opened from the queue (timed), then the queue and its filters listed (timed).
# Usage: src/test/bench/cases.sh [CASES [RUNS [report]]]   (needs a JDK 21+ as java or $JAVA_HOME)
# With "report": the cases written by one statement, half the contacts answering again, cases report timed.
set -euo pipefail
cd "$(dirname "$0")/../../.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
./mvnw -q -DskipTests test-compile
cp=$(./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
"$java" -Xmx512m ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$cp" io.surveycast.followup.CaseQueueBenchmark "${1:-100000}" "${@:2}"
