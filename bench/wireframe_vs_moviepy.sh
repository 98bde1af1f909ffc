#!/usr/bin/env bash
# The article's Mayavi wireframe (a tube around a curve, the camera turning once, 2 s at
# 20 fps, 500×500 halved to 250×250), written as the article writes it, to GIF and to
# MP4: scenes/wireframe.toml with animate against the same animation drawn by
# matplotlib 3-D and written by MoviePy 1.0.3 (bench/wireframe_mpl3d.py; Mayavi needs
# VTK and a display).
#   bench/wireframe_vs_moviepy.sh [RUNS]      (default 5; median after one warm-up)
# Installs MoviePy into a venv under /tmp on first use (VENV= to choose another). Needs
# GNU time. ANIMATE picks the binary under test (default: a release build of this tree).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source bench/moviepy_lib.sh
versus "wireframe, GIF" gif scenes/wireframe.toml bench/wireframe_mpl3d.py gif
versus "wireframe, MP4" mp4 scenes/wireframe.toml bench/wireframe_mpl3d.py mp4
