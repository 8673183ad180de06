#!/usr/bin/env bash
# Benchmark: N comments (default 100,000) tagged by themes and sentiment through the tagging queue
# (rules, then the in-JVM embedding model for comments no rule tags), -Xmx512m, the model loaded
# once; then the cost of the queue trigger on storing an answer.
# Usage: src/test/bench/themes.sh [COMMENTS]   (needs a JDK 21+ as java or $JAVA_HOME)
set -euo pipefail
cd "$(dirname "$0")/../../.."
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
./mvnw -q -DskipTests test-compile
cp=$(./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
"$java" -Xmx512m -cp "target/test-classes:target/classes:$cp" io.surveycast.theme.ThemeTaggingBenchmark "${1:-100000}"
