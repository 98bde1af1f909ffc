#!/usr/bin/env bash
# Runs one fuzz target until a million executions or SECONDS have passed, whichever
# comes first, with the limits docs/fuzzing.md gives, logging to fuzz/logs/TARGET.log:
#   fuzz/run.sh TARGET [SECONDS]      (default 1800)
# RUNS=-1 runs for SECONDS whatever the executions (a fast target reaches a million in
# seconds).
# This machine has only a stable toolchain: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its
# nightly flags to it. No sanitizer (-s none): see docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-1800}
mkdir -p logs "corpus/$target" "artifacts/$target"
RUSTC_BOOTSTRAP=1 cargo fuzz run -s none "$target" -- \
    -runs="${RUNS:-1000000}" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 2>&1 | tee "logs/$target.log" | grep -E 'INITED|DONE|pulse|ERROR|panicked|Test unit written|stat::' || true
