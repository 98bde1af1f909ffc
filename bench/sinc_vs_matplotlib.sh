#!/usr/bin/env bash
# End-to-end time of the article's "Elevation in y=0" GIF: matplotlib + MoviePy (the
# article's script, bench/sinc_mpl.py) against `animate render scenes/sinc_plot.toml`.
# Each is run RUNS times (default 5) after one warm-up; the median wall time is shown.
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
cargo build --release -q
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {  # label, command…
  local label=$1; shift
  "$@" >/dev/null 2>&1   # warm-up (disk cache, Python bytecode)
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
    awk "BEGIN { print $t1 - $t0 }"
  done | median > "$out/$label"
  printf '%-22s median %.3f s over %s runs\n' "$label" "$(cat "$out/$label")" "$runs"
}

echo "machine: $(nproc) cores; $("$venv/bin/python" -c 'import matplotlib, moviepy; print("matplotlib", matplotlib.__version__, "moviepy", moviepy.__version__)')"
measure "matplotlib+MoviePy" "$venv/bin/python" bench/sinc_mpl.py "$out/mpl.gif"
measure "animate" target/release/animate render scenes/sinc_plot.toml -o "$out/animate.gif" -q
awk -v a="$(cat "$out/matplotlib+MoviePy")" -v b="$(cat "$out/animate")" 'BEGIN { printf "speed-up: %.1fx\n", a / b }'
ls -l "$out"/*.gif | awk '{print $5, $9}'
