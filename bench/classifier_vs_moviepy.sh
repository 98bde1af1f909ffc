#!/usr/bin/env bash
# The article's SVM classifier (7 s at 15 fps, 400×400 GIF): scenes/classifier.toml with
# animate (its decision function an analytic stand-in, an expression of the points shown
# so far) against the article's own code, scikit-learn + matplotlib + MoviePy 1.0.3
# (bench/svm_mpy.py). The pictures are alike, not the same: see scenes/classifier.toml.
#   bench/classifier_vs_moviepy.sh [RUNS]      (default 5; median after one warm-up)
# Installs MoviePy and scikit-learn into a venv under /tmp on first use (VENV= to choose
# another). Needs GNU time. ANIMATE picks the binary under test (default: a release
# build of this tree).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source bench/moviepy_lib.sh
"$venv/bin/python" -c "import sklearn" 2>/dev/null || "$venv/bin/pip" install -q scikit-learn
versus "SVM classifier" gif scenes/classifier.toml bench/svm_mpy.py
