#!/usr/bin/env bash
# Benchmark: import N contacts (default 1,000,000) from CSV with a 256 MiB heap, into a fresh
# embedded PostgreSQL, then import the same file again (all unchanged) and a dry run.
# Prints wall time and peak RSS of each run. Usage: src/test/bench/contacts-import.sh [ROWS]
# Needs target/surveycast.jar (./mvnw -q -DskipTests package) and a JDK 21+ as java or $JAVA_HOME.
set -euo pipefail
rows=${1:-1000000}
top=$(cd "$(dirname "$0")/../../.." && pwd)
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
csv=$work/contacts.csv

awk -v n="$rows" 'BEGIN {
  srand(42);
  split("America/New_York America/Los_Angeles Europe/Paris Europe/London Australia/Sydney Asia/Tokyo", zones, " ");
  split("free basic pro enterprise", plans, " ");
  split("us emea apac", regions, " ");
  print "external_id,email,phone,name,locale,timezone,onboarded_at,renewal_date,plan,region,owner_email";
  for (i = 1; i <= n; i++) {
    phone = (i % 3 == 0) ? sprintf("+1415%07d", 2000000 + i % 7000000) : "";
    printf "c%07d,user%d@example.com,%s,Customer %d,en-US,%s,2026-%02d-%02d,2027-%02d-%02d,%s,%s,owner%d@acme.test\n",
      i, i, phone, i, zones[1 + i % 6], 1 + i % 12, 1 + i % 28, 1 + (i * 7) % 12, 1 + (i * 3) % 28,
      plans[1 + i % 4], regions[1 + i % 3], i % 50;
  }
}' > "$csv"
echo "generated $rows rows ($(du -h "$csv" | cut -f1))"

run() {
  local label=$1; shift
  /usr/bin/time -f "$label: %e s wall, %M KiB peak RSS of the JVM" \
    "$java" -Xmx256m -jar "$top/target/surveycast.jar" "$@" 2>&1 >"$work/out" | grep -E "wall|rejected" || true
  echo "  -> $(cat "$work/out")"
}
export SURVEYCAST_DATA_DIR=$work/data
"$java" -jar "$top/target/surveycast.jar" migrate >/dev/null
run "first import" contacts import "$csv"
run "second import (unchanged)" contacts import "$csv"
run "dry run" contacts import "$csv" --dry-run
