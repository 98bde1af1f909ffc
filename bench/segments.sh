#!/usr/bin/env bash
# What splitting a render costs: the same 1280x720, 20 s generated scene (an animated
# field, 500 frames at 25 fps) rendered to H.264 once in one process, then as 4
# segments run 2 at a time (xargs -P 2) and joined by `animate join`. Prints the wall
# times, the ratio segmented / single (target <= 1.1x) and the join's share of the
# render time (target < 2 %), the file sizes, and checks the joined frame count.
#   bench/segments.sh            # RUNS=3 bench/segments.sh alternates 3 runs of each
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-1}
segments=4
jobs=2

cargo build --release -q
animate=$PWD/target/release/animate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

cat > scene.toml <<'TOML'
[output]
fps = 25
[clip.main]
kind = "field"
size = [1280, 720]
duration = 20
f = "sinc(x^2 + y^2) + sin(x + 2*pi*t/4) * cos(y - 2*pi*t/5)"
x = [-3, 3]
y = [-2, 2]
resolution = [320, 180]
colormap = "viridis"
colorbar = true
TOML

now() { date +%s.%N; }
single() {
  local t0; t0=$(now)
  "$animate" render scene.toml -o single.mp4 -q
  awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.2f", b-a}'
}
segmented() { # prints "render-seconds join-seconds"
  rm -f seg-*.mp4
  local t0 t1; t0=$(now)
  seq 1 "$segments" | xargs -P "$jobs" -I{} \
    "$animate" render scene.toml -o seg-{}.mp4 --segment "{}/$segments" -q
  t1=$(now)
  "$animate" join seg-*.mp4 -o joined.mp4 -q
  awk -v a="$t0" -v b="$t1" -v c="$(now)" 'BEGIN{printf "%.2f %.3f", b-a, c-b}'
}

echo "scene: 1280x720, 20 s at 25 fps (500 frames), H.264 CRF 20 medium; $(nproc) cores;" \
  "$segments segments, $jobs at a time"
: > single.txt; : > split.txt
for i in $(seq 1 "$runs"); do
  s=$(single); echo "$s" >> single.txt
  read -r r j <<< "$(segmented)"; echo "$r $j" >> split.txt
  printf 'run %d: single %6.2f s | segments %6.2f s + join %.3f s\n' "$i" "$s" "$r" "$j"
done
median() { sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR]=$c} END{print v[int((NR+1)/2)]}'; }
s=$(median single.txt 1); r=$(median split.txt 1); j=$(median split.txt 2)
awk -v s="$s" -v r="$r" -v j="$j" 'BEGIN{
  printf "median: single %.2f s, segmented %.2f s (render %.2f + join %.3f)\n", s, r+j, r, j
  printf "ratio:  segmented / single %.3fx (target <= 1.1x); join %.2f %% of the segment render time (target < 2 %%)\n", (r+j)/s, 100*j/r
}'
size() { stat -c %s "$1"; }
parts=0; for f in seg-*.mp4; do parts=$((parts + $(size "$f"))); done
echo "sizes:  single $(size single.mp4) B, joined $(size joined.mp4) B (parts $parts B)"
if command -v ffprobe >/dev/null; then
  frames() { ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$1"; }
  echo "frames: single $(frames single.mp4), joined $(frames joined.mp4)"
fi
