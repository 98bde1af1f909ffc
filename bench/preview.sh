#!/usr/bin/env bash
# `animate preview` latency, as the page sees it (curl on 127.0.0.1):
#  1. save -> first frame: scenes/sinc_plot.toml is saved (a comment appended, which
#     makes a new revision with an empty frame cache); time from the write until the
#     new revision is announced and its frame at t=0 has arrived at preview size.
#  2. scrubbing: scenes/sinc_composite.toml, frames at times never asked for before.
# Prints the median and the worst of ROUNDS tries of each, in milliseconds.
# Usage: ANIMATE=target/release/animate ROUNDS=15 bench/preview.sh
set -euo pipefail
ANIMATE=${ANIMATE:-target/release/animate}
ROUNDS=${ROUNDS:-15}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
stats() { sort -n | awk '{ v[NR] = $1 } END { printf "median %d ms, worst %d ms (%d tries)\n", v[int((NR + 1) / 2)], v[NR], NR }'; }

start() { # scene file -> sets base and token
  "$ANIMATE" preview "$1" > "$work/url" 2> "$work/stderr" &
  pid=$!
  for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.1; done
  local url; url=$(head -1 "$work/url")
  base=${url%%/\?token=*}
  token=${url##*token=}
}
revision() { curl -s "$base/state?token=$token" | sed 's/^{"revision":\([0-9]*\),.*/\1/'; }

cp "$here/scenes/sinc_plot.toml" "$work/plot.toml"
start "$work/plot.toml"
curl -s -o /dev/null "$base/frame?t=0&token=$token"
for i in $(seq "$ROUNDS"); do
  rev=$(revision)
  t0=$(now_ms)
  echo "# save $i" >> "$work/plot.toml"
  curl -s -o /dev/null "$base/state?since=$rev&token=$token"
  curl -s -o /dev/null "$base/frame?t=0&token=$token"
  echo $(( $(now_ms) - t0 ))
  sleep 0.2
done | stats | sed 's/^/save -> first frame, sinc_plot: /'
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

cp "$here/scenes/sinc_composite.toml" "$work/composite.toml"
start "$work/composite.toml"
curl -s -o /dev/null "$base/frame?t=0&token=$token"
for i in $(seq "$ROUNDS"); do
  t=$(awk -v i="$i" -v n="$ROUNDS" 'BEGIN { printf "%g", (i * 37 % 40) / 20 }')
  t0=$(now_ms)
  curl -s -o /dev/null "$base/frame?t=$t&token=$token"
  echo $(( $(now_ms) - t0 ))
done | stats | sed 's/^/uncached frame, sinc_composite: /'
