#!/usr/bin/env bash
# Benchmark: plan the quarterly wave over N contacts (default 1,000,000) with survey history,
# against a bare INSERT ... SELECT of as many rows, in a fresh embedded PostgreSQL, -Xmx256m.
# Usage: src/test/bench/plan-wave.sh [CONTACTS [CONNECTIONS [BATCH]]]   (needs a JDK 21+ as java or $JAVA_HOME)
set -euo pipefail
cd "$(dirname "$0")/../../.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
./mvnw -q -DskipTests test-compile
cp=$(./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
"$java" -Xmx256m -cp "target/test-classes:target/classes:$cp" io.surveycast.plan.WavePlanningBenchmark "${1:-1000000}" "${@:2}"
