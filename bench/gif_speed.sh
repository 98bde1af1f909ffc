#!/usr/bin/env bash
# Time to PNG frames vs time to GIF, on 1 and 2 threads:   bench/gif_speed.sh [RUNS] [SCENE…]
# Default scenes: sinc_surface, sinc_composite, effects_grid; 5 runs each, alternating
# outputs; prints the median wall, user and system seconds (GNU time) of each case.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
if [ -z "${ANIMATE:-}" ]; then
  cargo build --release -q
  ANIMATE=$PWD/target/release/animate
fi
scenes=("$@")
[ ${#scenes[@]} -gt 0 ] || scenes=(scenes/sinc_surface.toml scenes/sinc_composite.toml scenes/effects_grid.toml)
[ -f scenes/assets/sinc.gif ] || "$ANIMATE" render scenes/sinc_surface.toml -o scenes/assets/sinc.gif -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
printf '%-16s %-4s %-7s %8s %8s %8s\n' scene out threads wall user sys
for scene in "${scenes[@]}"; do
  name=$(basename "$scene" .toml)
  for threads in 1 2; do
    : > "$work/png.t"; : > "$work/gif.t"
    for _ in $(seq "$runs"); do
      for out in png gif; do
        rm -rf "$work/o" && mkdir "$work/o"
        target=$work/o/out.gif
        [ $out = png ] && target=$work/o/frames/
        /usr/bin/time -f "%e %U %S" -a -o "$work/$out.t" \
          "$ANIMATE" render "$scene" -o "$target" -q --threads "$threads"
      done
    done
    for out in png gif; do
      printf '%-16s %-4s %-7s %8s %8s %8s\n' "$name" "$out" "$threads" \
        "$(cut -d' ' -f1 "$work/$out.t" | median)" "$(cut -d' ' -f2 "$work/$out.t" | median)" \
        "$(cut -d' ' -f3 "$work/$out.t" | median)"
    done
  done
done
