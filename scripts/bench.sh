#!/usr/bin/env bash
# Runs a benchmark harness from bench/ (not a test): scripts/bench.sh [ClassName] [args...]
#   scripts/bench.sh ExplainVsPredict 400
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mvn -q -B -Dstyle.color=never -DskipTests install >&2
cp_file=$(mktemp)
(cd bench && mvn -q -B -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile="$cp_file" >&2)
class=${1:-ExplainVsPredict}
shift || true
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
exec java -Djava.util.logging.SimpleFormatter.format='%5$s%n' -cp "bench/target/classes:$(cat "$cp_file")" \
  "org.explain4j.bench.$class" "$@"
