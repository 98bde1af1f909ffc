#!/usr/bin/env bash
# End-to-end time of scenes/sinc_surface.toml with animate, against the same
# animation made with matplotlib 3-D frames and MoviePy (bench/surface_mpl3d.py).
#   bench/surface_vs_matplotlib.sh
# Installs matplotlib and moviepy into a venv under /tmp on first use (VENV= to
# choose another). Needs GNU time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-/tmp/animate-bench-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  # moviepy 1.0.3 has the article's moviepy.editor; its matplotlib binding breaks on 3.10.
  "$venv/bin/pip" install -q "matplotlib<3.10" "moviepy==1.0.3"
fi
cargo build --release -q
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "machine: $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
# wall and CPU (user + sys) seconds of one run: CPU is the steadier figure on a busy machine
wall() { /usr/bin/time -f "%e %U %S" -o "$out/t" "$@" >/dev/null; awk '{ print $1, $2 + $3 }' "$out/t"; }
read -r a1 a1c < <(wall target/release/animate render scenes/sinc_surface.toml -o "$out/a.gif" -q --threads 1)
read -r an anc < <(wall target/release/animate render scenes/sinc_surface.toml -o "$out/a.gif" -q)
read -r m1 m1c < <(wall "$venv/bin/python" bench/surface_mpl3d.py "$out/m.gif")
read -r m4 m4c < <(wall "$venv/bin/python" bench/surface_mpl3d.py "$out/m4.gif" --stride 4)
printf '%-44s %7.2f s wall %7.2f s CPU\n' "animate, 1 thread" "$a1" "$a1c" "animate, all cores" "$an" "$anc" \
  "matplotlib + MoviePy, 200x200 grid" "$m1" "$m1c" "matplotlib + MoviePy, 50x50 (its default)" "$m4" "$m4c"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v a="$an" -v a1="$a1" -v m="$m1" -v m4="$m4" -v ac="$anc" -v mc="$m1c" 'BEGIN {
  printf "speed-up: %.1fx (all cores), %.1fx (1 thread); against the 50x50 grid %.1fx; CPU %.1fx\n", m/a, m/a1, m4/a, mc/ac }'
