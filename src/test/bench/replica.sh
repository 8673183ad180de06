#!/usr/bin/env bash
# Benchmark: the report replica (DuckDB) over the report benchmark's kept rows: first load, syncs,
# memory. Usage: REPORT_DATA=DIR src/test/bench/replica.sh [INVITATIONS]  (DIR made by report.sh)
set -euo pipefail
cd "$(dirname "$0")/../../.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
./mvnw -q -DskipTests test-compile
cp=$(./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
"$java" -Xmx512m -Dreport.data="$REPORT_DATA" ${REPLICA_DUMP:+-Dreplica.dump=$REPLICA_DUMP} -cp "target/test-classes:target/classes:$cp" io.surveycast.report.ReplicaBenchmark "${1:-10000000}"
