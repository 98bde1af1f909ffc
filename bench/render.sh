#!/usr/bin/env bash
# Wall time and peak memory of `animate render` on one thread and on all cores.
#   bench/render.sh [SCENE] [extra render flags…]
#   OUT=frames/ bench/render.sh bench/scenes/cpu_bound.toml   # PNG frames instead of a GIF
# Default scene: scenes/composite.toml. Needs GNU time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."
scene=${1:-scenes/composite.toml}
shift || true
cargo build --release -q
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %M %P" -o "$out/time" target/release/animate render "$scene" -o "$out/${OUT:-out.gif}" -q "$@" >/dev/null
  read -r secs kb cpu < "$out/time"
  printf '%-12s wall %6.2f s   peak RSS %7.1f MiB   CPU %s\n' "$label" "$secs" "$(awk "BEGIN{print $kb/1024}")" "$cpu"
}
echo "scene: $scene ($(nproc) cores)"
measure "1 thread" --threads 1 "$@"
measure "all cores" "$@"
