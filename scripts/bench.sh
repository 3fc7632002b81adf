#!/usr/bin/env bash
# Runs a benchmark harness from bench/ (not a test): scripts/bench.sh [ClassName] [args...]
#   scripts/bench.sh ExplainVsPredict 400
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
log=$(mktemp)
cp_file=$(mktemp)
if ! { mvn -B -DskipTests install && (cd bench && mvn -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.outputFile="$cp_file"); } >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
class=${1:-ExplainVsPredict}
shift || true
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
# The memory drift check runs with a fixed, pre-touched heap unless told otherwise.
if [[ "$class" == "MemoryDrift" && -z "${JAVA_OPTS:-}" ]]; then
  JAVA_OPTS="-Xms1g -Xmx1g -XX:+AlwaysPreTouch"
fi
exec java ${JAVA_OPTS:-} "@$root/spark/java17-opens.args" -Djava.util.logging.SimpleFormatter.format='[log] %5$s%n' -cp "bench/target/classes:$(cat "$cp_file")" \
  "org.explain4j.bench.$class" "$@"
