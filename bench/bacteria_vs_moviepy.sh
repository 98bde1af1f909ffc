#!/usr/bin/env bash
# End-to-end time of scenes/bacteria.toml (a colony made, thresholded, counted and
# plotted on a log axis, 60 frames of 848x240) with animate, against the same three
# panels made with numpy + scikit-image + matplotlib + MoviePy (bench/bacteria_moviepy.py).
#   bench/bacteria_vs_moviepy.sh
# Installs matplotlib, moviepy 1.0.3 and scikit-image into a venv under /tmp on first
# use (VENV= to choose another). Needs GNU time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-/tmp/animate-bacteria-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  # moviepy 1.0.3 has the article's moviepy.editor; its matplotlib binding breaks on 3.10.
  "$venv/bin/pip" install -q "matplotlib<3.10" "moviepy==1.0.3" scikit-image
fi
cargo build --release -q
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "machine: $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
wall() { /usr/bin/time -f "%e" -o "$out/t" "$@" >/dev/null; cat "$out/t"; }
a1=$(wall target/release/animate render scenes/bacteria.toml -o "$out/a.gif" -q --threads 1)
an=$(wall target/release/animate render scenes/bacteria.toml -o "$out/a.gif" -q)
m=$(wall "$venv/bin/python" bench/bacteria_moviepy.py "$out/m.gif")
printf '%-44s %7.2f s\n' "animate, 1 thread" "$a1" "animate, all cores" "$an" \
  "numpy + scikit-image + matplotlib + MoviePy" "$m"
awk -v a="$an" -v a1="$a1" -v m="$m" 'BEGIN {
  printf "speed-up: %.1fx (all cores), %.1fx (1 thread)\n", m/a, m/a1 }'
