#!/usr/bin/env bash
# The article's Mayavi sinc surface (220×220, 2 s at 20 fps, GIF): scenes/sinc_surface.toml
# with animate against the same animation drawn by matplotlib 3-D and written by MoviePy
# 1.0.3 (bench/surface_mpl3d.py; Mayavi needs VTK and a display), with every point of
# the 200×200 grid as animate draws it, and at matplotlib's default of 50×50 (--stride 4).
#   bench/surface_vs_matplotlib.sh [RUNS]      (default 5; median after one warm-up)
# Installs MoviePy into a venv under /tmp on first use (VENV= to choose another). Needs
# GNU time. ANIMATE picks the binary under test (default: a release build of this tree).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source bench/moviepy_lib.sh
versus "sinc surface, 200x200 grid" gif scenes/sinc_surface.toml bench/surface_mpl3d.py
measure moviepy-50x50 "$venv/bin/python" bench/surface_mpl3d.py --stride 4 "$work/m4.gif"
ratio animate moviepy-50x50 "sinc surface, against matplotlib's 50x50"
