#!/usr/bin/env bash
# imageproc against animate's own effects (bench/imageproc, imageproc 0.27.0): each
# scikit-image fixture of tests/fixtures/filters/ through imageproc's closest function
# and through our effect (max / mean abs difference, within ±1?), geometry against ours,
# then speed on one thread on a 500×500 frame, ours and imageproc's alternately, median
# thread CPU time, and the cost of what imageproc has and animate lacks (morphology,
# labelling, distance transforms). Prints the tables for docs/architecture.md. Needs
# network access to fetch imageproc on first use. Extra arguments go to the program
# (--runs N, --size N).
#   bench/imageproc_vs_ours.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/animate-imageproc-target} \
  cargo run --release -q --manifest-path bench/imageproc/Cargo.toml -- "$@"
