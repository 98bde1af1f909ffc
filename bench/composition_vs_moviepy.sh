#!/usr/bin/env bash
# The article's composition of its two GIFs (mask_color, opacity, resize, composite)
# with animate (bench/scenes/composition_gifs.toml) against MoviePy 1.0.3
# (bench/composition_mpy.py), end to end: both read the same two GIFs and write a GIF.
#   bench/composition_vs_moviepy.sh [RUNS]      (default 5; median after one warm-up)
# The input GIFs are rendered first by animate (scenes/sinc_surface.toml and
# scenes/sinc_plot.toml, as the article's sinc.gif and sinc_mpl.gif). Installs MoviePy
# into a venv under /tmp on first use (VENV= to choose another). Needs GNU time.
# ANIMATE picks the binary under test (default: a release build of this tree).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source bench/moviepy_lib.sh
sinc_gifs
cp bench/scenes/composition_gifs.toml "$work/"
compare composition_gifs.toml bench/composition_mpy.py "the composition"
