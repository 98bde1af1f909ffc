#!/usr/bin/env bash
# One video file used at two times at once. The input is a 10 s 1280x720 30 fps H.264
# video made by animate itself (x264's default keyframe interval: 250 frames). The
# scenes render it to H.264 (ultrafast, so decoding dominates):
#   single   the clip alone, all 10 s: the path of a clip used once, for comparison
# and, 3 s each,
#   shared   the clip plainly beside a subclip [5, 10] of the same clip
#   reverse  the clip plainly beside the same clip reversed
#   twice    as `shared`, but the file declared as two clips (two separate sources):
#            the reference for what `shared` should cost
# and prints the wall time and peak RSS of each, RUNS times each (default 1).
#   bench/video_reuse.sh
#   ANIMATE=/path/to/older/animate bench/video_reuse.sh   # compare another build
# Needs GNU time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-1}
if [ -z "${ANIMATE:-}" ]; then
  cargo build --release -q
  ANIMATE=$PWD/target/release/animate
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# The input (not measured): a moving, detailed field, so that frames cost what a
# real video's do to decode.
cat > input.toml <<'TOML'
[output]
fps = 30
[clip.main]
kind = "field"
size = [1280, 720]
duration = 10
x = [-3, 3]
y = [-2, 2]
resolution = [640, 360]
f = "sin(23*x + 3*t) * cos(19*y - 2*t) + sin(7*x*y + t) + sinc(x^2 + y^2)"
colormap = "viridis"
vmin = -2
vmax = 3
TOML
"$ANIMATE" render input.toml -o in.mp4 --crf 18 --preset veryfast -q

video='[clip.v]
kind = "video"
path = "in.mp4"'
common="[output]
fps = 30
duration = 3
$video"
cat > single.toml <<TOML
$video
[clip.main]
from = "v"
TOML
cat > shared.toml <<TOML
$common
[clip.late]
from = "v"
effects = [{ subclip = [5, 10] }]
[clip.main]
kind = "grid"
rows = [["v", "late"]]
TOML
cat > reverse.toml <<TOML
$common
[clip.back]
from = "v"
effects = ["reverse"]
[clip.main]
kind = "grid"
rows = [["v", "back"]]
TOML
cat > twice.toml <<TOML
$common
[clip.w]
kind = "video"
path = "in.mp4"
effects = [{ subclip = [5, 10] }]
[clip.main]
kind = "grid"
rows = [["v", "w"]]
TOML

echo "animate: $ANIMATE; input 1280x720 30 fps 10 s H.264; $(nproc) cores"
for i in $(seq 1 "$runs"); do
  for scene in single shared reverse twice; do
    /usr/bin/time -f "%e %M" -o t "$ANIMATE" render "$scene.toml" -o "$scene.mp4" \
      --preset ultrafast -q
    read -r s kb < t
    printf '%-8s run %d: wall %6.2f s   peak RSS %7.1f MiB\n' "$scene" "$i" "$s" \
      "$(awk "BEGIN{print $kb/1024}")"
  done
done
