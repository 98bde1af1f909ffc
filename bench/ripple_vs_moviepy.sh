#!/usr/bin/env bash
# The article's Vispy ripple (a shaded surface, 1 s at 20 fps, 350×262 GIF):
# scenes/ripple.toml with animate against the same animation drawn by matplotlib 3-D at
# Vispy's canvas size and resized by MoviePy 1.0.3, as the article does
# (bench/ripple_mpl3d.py; Vispy needs OpenGL and a window).
#   bench/ripple_vs_moviepy.sh [RUNS]      (default 5; median after one warm-up)
# Installs MoviePy into a venv under /tmp on first use (VENV= to choose another). Needs
# GNU time. ANIMATE picks the binary under test (default: a release build of this tree).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source bench/moviepy_lib.sh
versus "ripple" gif scenes/ripple.toml bench/ripple_mpl3d.py
