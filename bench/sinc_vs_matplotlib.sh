#!/usr/bin/env bash
# End-to-end time of the article's "Elevation in y=0" GIF: matplotlib + MoviePy (the
# article's script, bench/sinc_mpl.py) against `animate render scenes/sinc_plot.toml`.
# Each is run RUNS times (default 5) after one warm-up; the median wall and CPU times
# are shown (CPU time is the steadier figure on a busy machine). Needs GNU time.
# ANIMATE picks the binary under test (default: a release build of this tree).
#   bench/sinc_vs_matplotlib.sh
# Installs matplotlib 3.9 and MoviePy 1.0.3 (the article's API) from PyPI into a virtual
# environment at $VENV (default /tmp/animate-bench-venv) on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
venv=${VENV:-/tmp/animate-bench-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  # MoviePy 1.0.3 is the article's API; its mplfig_to_npimage needs matplotlib < 3.10.
  "$venv/bin/pip" install -q "matplotlib<3.10" "moviepy==1.0.3"
fi
if [ -z "${ANIMATE:-}" ]; then
  cargo build --release -q
  ANIMATE=$PWD/target/release/animate
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {  # label, command…  → median wall and CPU (user + sys) seconds
  local label=$1; shift
  "$@" >/dev/null 2>&1   # warm-up (disk cache, Python bytecode)
  : > "$out/$label.runs"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S" -o "$out/time" "$@" >/dev/null 2>&1
    awk '{ print $1, $2 + $3 }' "$out/time" >> "$out/$label.runs"
  done
  awk '{print $1}' "$out/$label.runs" | median > "$out/$label.wall"
  awk '{print $2}' "$out/$label.runs" | median > "$out/$label.cpu"
  printf '%-20s median wall %.3f s, CPU %.3f s, over %s runs\n' "$label" \
    "$(cat "$out/$label.wall")" "$(cat "$out/$label.cpu")" "$runs"
}

echo "machine: $(nproc) cores; $("$venv/bin/python" -c 'import matplotlib, moviepy; print("matplotlib", matplotlib.__version__, "moviepy", moviepy.__version__)')"
measure "matplotlib+MoviePy" "$venv/bin/python" bench/sinc_mpl.py "$out/mpl.gif"
measure "animate" "$ANIMATE" render scenes/sinc_plot.toml -o "$out/animate.gif" -q
awk -v a="$(cat "$out/matplotlib+MoviePy.wall")" -v b="$(cat "$out/animate.wall")" \
  -v c="$(cat "$out/matplotlib+MoviePy.cpu")" -v d="$(cat "$out/animate.cpu")" \
  'BEGIN { printf "speed-up: %.1fx wall, %.1fx CPU\n", a / b, c / d }'
ls -l "$out"/*.gif | awk '{print $5, $9}'
