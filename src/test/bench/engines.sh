#!/usr/bin/env bash
# Measurement for issue 16.5 (not part of the product): the same breakdowns over N synthetic
# invitations (default 10,000,000) in the embedded PostgreSQL and in DuckDB (in-process), RUNS each.
# Usage: src/test/bench/engines.sh [INVITATIONS [RUNS]]   (needs a JDK 21+ as java or $JAVA_HOME)
set -euo pipefail
cd "$(dirname "$0")/../../.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
duckdb=org.duckdb:duckdb_jdbc:1.5.6.0
./mvnw -q dependency:get -Dartifact=$duckdb -Dtransitive=false
./mvnw -q -DskipTests test-compile
cp=$(./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
jar=$(./mvnw -q help:evaluate -Dexpression=settings.localRepository -DforceStdout)/org/duckdb/duckdb_jdbc/1.5.6.0/duckdb_jdbc-1.5.6.0.jar
"$java" -Xmx1g --enable-native-access=ALL-UNNAMED -cp "target/test-classes:target/classes:$cp:$jar" \
    src/test/bench/EngineSpike.java "${1:-10000000}" "${2:-3}"
