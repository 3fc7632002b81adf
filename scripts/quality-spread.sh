#!/usr/bin/env bash
# Runs QualityTest N times (default 5) and prints each run's report line: the spread of the quality
# figures in docs/quality.md. Run it alone, then beside another build, to see load change nothing.
#   scripts/quality-spread.sh [runs]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${1:-5}
for ((i = 1; i <= runs; i++)); do
  log=$(mktemp)
  if mvn -B test -pl testkit,sdk,jni,native,demo,quality -Dtest=QualityTest -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    status=passed
  else
    status=FAILED
  fi
  echo "run $i $status $(date -u +%FT%TZ) $(grep -m1 '^Report\[' "$log" || echo 'no report')"
  rm -f "$log"
done
