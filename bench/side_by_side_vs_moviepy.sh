#!/usr/bin/env bash
# The article's side by side of its two GIFs (clips_array, the curve resized to the
# surface's height) with animate (bench/scenes/side_by_side_gifs.toml) against MoviePy
# 1.0.3 (bench/side_by_side_mpy.py), end to end: both read the same two GIFs (rendered
# first from scenes/sinc_surface.toml and scenes/sinc_plot.toml) and write a GIF.
#   bench/side_by_side_vs_moviepy.sh [RUNS]      (default 5; median after one warm-up)
# Installs MoviePy into a venv under /tmp on first use (VENV= to choose another). Needs
# GNU time. ANIMATE picks the binary under test (default: a release build of this tree).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source bench/moviepy_lib.sh
sinc_gifs
cp bench/scenes/side_by_side_gifs.toml "$work/"
compare side_by_side_gifs.toml bench/side_by_side_mpy.py "side by side"
