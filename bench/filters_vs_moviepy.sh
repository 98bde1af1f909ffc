#!/usr/bin/env bash
# The article's scikit-image filters on its surface GIF, end to end, animate against
# MoviePy 1.0.3 + scikit-image (bench/filters_mpy.py): the 2×2 grid with titles
# (scenes/effects_grid.toml, 40 frames at 20 fps) and the title cards in sequence
# (scenes/effects_sequence.toml, 180 frames at 15 fps). Both read the same sinc.gif
# (rendered first from scenes/sinc_surface.toml) and write a GIF.
#   bench/filters_vs_moviepy.sh [RUNS]      (default 5; median after one warm-up)
# Installs MoviePy, matplotlib and scikit-image into a venv under /tmp on first use
# (VENV= to choose another). Needs GNU time. ANIMATE picks the binary under test
# (default: a release build of this tree).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source bench/moviepy_lib.sh
"$venv/bin/python" -c "import skimage" 2>/dev/null || "$venv/bin/pip" install -q scikit-image
mkdir -p "$work/assets"
"$ANIMATE" render scenes/sinc_surface.toml -o "$work/assets/sinc.gif" -q
cp scenes/effects_grid.toml scenes/effects_sequence.toml "$work/"
echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for what in grid cards; do
  scene=$work/effects_grid.toml
  [ "$what" = cards ] && scene=$work/effects_sequence.toml
  measure "animate-$what" "$ANIMATE" render "$scene" -o "$work/a.gif" -q
  measure "animate-$what-1-thread" "$ANIMATE" render "$scene" -o "$work/a1.gif" -q --threads 1
  measure "moviepy-$what" "$venv/bin/python" bench/filters_mpy.py "$what" "$work/assets/sinc.gif" "$work/m.gif"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
ratio animate-grid moviepy-grid "2x2 grid with titles"
ratio animate-cards moviepy-cards "title cards"
