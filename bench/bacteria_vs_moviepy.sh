#!/usr/bin/env bash
# The article's bacteria video: scenes/bacteria.toml (a colony made, thresholded, counted
# and plotted on a log axis, 60 frames of 848×240, GIF) with animate, against the same
# three panels made with numpy + scikit-image + matplotlib + MoviePy 1.0.3
# (bench/bacteria_moviepy.py).
#   bench/bacteria_vs_moviepy.sh [RUNS]      (default 5; median after one warm-up)
# Installs MoviePy and scikit-image into a venv under /tmp on first use (VENV= to choose
# another). Needs GNU time. ANIMATE picks the binary under test (default: a release
# build of this tree).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source bench/moviepy_lib.sh
"$venv/bin/python" -c "import skimage" 2>/dev/null || "$venv/bin/pip" install -q scikit-image
versus "bacteria" gif scenes/bacteria.toml bench/bacteria_moviepy.py
