#!/usr/bin/env bash
# Benchmark: the replica's report statements alone over a replica dumped to a DuckDB file
# (REPLICA_DUMP=FILE REPORT_DATA=DIR src/test/bench/replica.sh makes it). Usage: replica-queries.sh FILE [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
./mvnw -q -DskipTests test-compile
cp=$(./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
"$java" -Xmx512m -cp "target/test-classes:target/classes:$cp" io.surveycast.report.ReplicaQueryBench "$@"
