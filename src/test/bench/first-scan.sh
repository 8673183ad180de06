#!/usr/bin/env bash
# Benchmark: the first due-scan after N contacts (default 1,000,000) were bulk-loaded without ANALYZE
# into a database whose statistics describe one contact (issue 18.4). Fresh embedded PostgreSQL, -Xmx256m.
# Usage: src/test/bench/first-scan.sh [CONTACTS]   (JAVA_OPTS="-Dpgss=true -Dexplain.ms=2000" logs slow plans to /tmp/pglog)   (needs a JDK 21+ as java or $JAVA_HOME)
set -euo pipefail
cd "$(dirname "$0")/../../.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
./mvnw -q -DskipTests test-compile
cp=$(./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
"$java" -Xmx256m ${JAVA_OPTS:-} -cp "target/test-classes:target/classes:$cp" io.surveycast.schedule.FirstScanBenchmark "${1:-1000000}"
