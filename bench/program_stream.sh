#!/usr/bin/env bash
# Programs as sources (docs/programs.md), three figures:
#  1. a stream of raw RGBA 640x480 frames from a program against the same frames read
#     as a PNG sequence (target: at most 10 % more wall time);
#  2. a CPU-bound per-frame program (scenes/mandelbrot.toml) on 2 threads against 1
#     (target: at least 1.8x on 2 cores);
#  3. peak RSS of a 60 s 640x480 RGBA stream at 25 fps, reversed (the stream clip keeps
#     64 MiB of frames in memory, the rest in a temporary file).
#   bench/program_stream.sh            # release build
#   BIN=target/debug/animate bench/program_stream.sh
# Needs python3 and GNU time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
  cargo build --release -q
  BIN=target/release/animate
fi
BIN=$(realpath "$BIN")
SECONDS_OF_STREAM=${SECONDS_OF_STREAM:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The stream: a gradient sliding by 8 pixels a frame (cut from one buffer: the program
# costs a copy a frame, not a drawing).
cat > "$work/slide.py" <<'PY'
import sys
w, h, n = (int(a) for a in sys.argv[1:4])
row = bytes((x * 255 // (2 * w), (x * 3) % 256, 128, 255)[c] for x in range(2 * w) for c in range(4))
rows = [row[4 * ((y * 2) % w):] [:4 * w] for y in range(h)]
out = sys.stdout.buffer
for i in range(n):
    shift = 4 * (8 * i % w)
    out.write(b"".join((r + r)[shift:shift + 4 * w] for r in rows))
PY
stream_scene() {  # $1 = duration, $2 = effects
  cat <<TOML
[output]
fps = 25
[clip.main]
kind = "program"
run = ["python3", "slide.py", "{width}", "{height}", "{frames}"]
format = "rgba"
size = [640, 480]
duration = $1
effects = $2
TOML
}
stream_scene "$SECONDS_OF_STREAM" "[]" > "$work/stream.toml"
cat > "$work/pngs.toml" <<'TOML'
[output]
fps = 25
[clip.main]
kind = "images"
files = "frames/%04d.png"
TOML

measure() {  # label, then the command; prints wall time, peak RSS, CPU
  local label=$1; shift
  /usr/bin/time -f "%e %M %P" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
  read -r secs kb cpu < "$work/time"
  printf '%-34s wall %7.2f s   peak RSS %7.1f MiB   CPU %s\n' "$label" "$secs" "$(awk "BEGIN{print $kb/1024}")" "$cpu"
  echo "$secs" > "$work/last"
}

echo "animate: $BIN ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "1. ${SECONDS_OF_STREAM} s of 640x480 RGBA at 25 fps into out.mp4 (or out.gif without video)"
cd "$work"
"$BIN" render stream.toml -o frames/ -q --allow-programs
out=out.mp4
"$BIN" render pngs.toml -o probe.mp4 -q 2>/dev/null || out=out.gif
rm -f probe.mp4
for round in 1 2; do
  measure "  stream (rgba on stdout), round $round" "$BIN" render stream.toml -o "$out" -q --allow-programs
  s=$(cat last)
  measure "  PNG sequence, round $round" "$BIN" render pngs.toml -o "$out" -q
  p=$(cat last)
  awk -v s="$s" -v p="$p" 'BEGIN{printf "  stream / PNG sequence: %.2f\n", s / p}'
done

echo "2. per-frame: scenes/mandelbrot.toml (20 runs of a CPU-bound Python program)"
cd - >/dev/null
measure "  --threads 1" "$BIN" render scenes/mandelbrot.toml -o "$work/m1.gif" -q --allow-programs --threads 1
one=$(cat "$work/last")
measure "  --threads 2" "$BIN" render scenes/mandelbrot.toml -o "$work/m2.gif" -q --allow-programs --threads 2
two=$(cat "$work/last")
awk -v a="$one" -v b="$two" 'BEGIN{printf "  speed-up: %.2fx\n", a / b}'

echo "3. 60 s of 640x480 RGBA at 25 fps, reversed (1500 frames, 1.8 GB decoded)"
cd "$work"
stream_scene 60 '["reverse"]' > long.toml
measure "  reversed, 64x48 PNG frames out" "$BIN" render long.toml -o small/ --size 64x48 -q --allow-programs
echo "  (a still colour clip of the same size, for the base:)"
printf '[output]\nfps = 25\n[clip.main]\nkind = "color"\ncolor = "red"\nsize = [640, 480]\nduration = 60\n' > still.toml
measure "  colour clip, 64x48 PNG frames out" "$BIN" render still.toml -o still/ --size 64x48 -q
