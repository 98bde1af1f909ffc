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
venv=${VENV:-/tmp/animate-bench-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  # moviepy 1.0.3 has the article's moviepy.editor; its matplotlib binding breaks on 3.10.
  "$venv/bin/pip" install -q "matplotlib<3.10" "moviepy==1.0.3"
fi
if [ -z "${ANIMATE:-}" ]; then
  cargo build --release -q
  ANIMATE=$PWD/target/release/animate
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$ANIMATE" render scenes/sinc_surface.toml -o "$work/sinc.gif" -q
"$ANIMATE" render scenes/sinc_plot.toml -o "$work/sinc_mpl.gif" -q
cp bench/scenes/side_by_side_gifs.toml "$work/"
echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
measure() {  # label, command…  → median wall and CPU (user + sys) seconds
  local label=$1; shift
  "$@" >/dev/null 2>&1   # warm-up (disk cache, Python bytecode)
  : > "$work/$label.runs"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>&1
    awk '{ print $1, $2 + $3 }' "$work/time" >> "$work/$label.runs"
  done
  printf '%-22s wall %6.2f s   cpu %6.2f s\n' "$label" \
    "$(cut -d' ' -f1 "$work/$label.runs" | median)" "$(cut -d' ' -f2 "$work/$label.runs" | median)"
}
measure animate "$ANIMATE" render "$work/side_by_side_gifs.toml" -o "$work/a.gif" -q
measure animate-1-thread "$ANIMATE" render "$work/side_by_side_gifs.toml" -o "$work/a1.gif" -q --threads 1
measure moviepy "$venv/bin/python" bench/side_by_side_mpy.py "$work" "$work/m.gif"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
paste <(cut -d' ' -f1 "$work/animate.runs" | median) <(cut -d' ' -f1 "$work/moviepy.runs" | median) \
  <(cut -d' ' -f2 "$work/animate.runs" | median) <(cut -d' ' -f2 "$work/moviepy.runs" | median) |
  awk '{ printf "MoviePy / animate: %.1fx wall, %.1fx CPU\n", $2 / $1, $4 / $3 }'
