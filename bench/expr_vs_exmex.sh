#!/usr/bin/env bash
# The expression benchmark against the exmex crate: animate's own evaluator
# (`cargo bench --bench expr`) and bench/exmex (exmex 0.20.5 on the same 200×200 grid,
# point by point), one thread each. Needs network access to fetch exmex on first use.
#   bench/expr_vs_exmex.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench expr 2>/dev/null | grep -E "grid|eval_|per point|closure"
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/animate-exmex-target} \
  cargo run --release -q --manifest-path bench/exmex/Cargo.toml
