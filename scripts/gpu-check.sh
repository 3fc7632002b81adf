#!/usr/bin/env bash
# On a machine with an NVIDIA GPU and nvcc: builds the CUDA engine, runs its GPU tests (CUDA against
# the native engine), then the engine benchmark, and prints a short table.
#   scripts/gpu-check.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi: not found"
[[ -x /usr/local/cuda/bin/nvcc ]] || { echo "nvcc not found at /usr/local/cuda/bin/nvcc: the cuda profile cannot build" >&2; exit 1; }
mvn -B -q -DskipTests install
# The GPU tests must run, not skip: fail when the engine says the device is unavailable.
mvn -B test -pl cuda 2>&1 | tee /tmp/explain4j-gpu-tests.log | grep -E "Tests run|Skipping|unavailable" || true
if grep -q "Skipping GPU test" /tmp/explain4j-gpu-tests.log; then
  echo "GPU tests were skipped: no usable CUDA device" >&2
  exit 1
fi
grep -q "BUILD SUCCESS" /tmp/explain4j-gpu-tests.log
scripts/bench.sh EngineThroughput 50
