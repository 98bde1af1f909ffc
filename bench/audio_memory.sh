#!/usr/bin/env bash
# Memory of sound as a render gets longer: a small video carrying stereo 48 kHz sound,
# looped under a reversed and sped-up copy of itself, rendered for 10 s and for 60 s.
# Sound is decoded to a temporary file and read back in pieces, so peak RSS should not
# grow with the length.
#   bench/audio_memory.sh            # ANIMATE=target/debug/animate to measure that binary
# Needs the ffmpeg CLI (for the input) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${ANIMATE:-}" ] || cargo build --release -q
animate=$(realpath "${ANIMATE:-target/release/animate}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for secs in 10 60; do
  ffmpeg -v error -f lavfi -i "testsrc2=size=320x180:rate=30" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$secs" -ac 2 -t "$secs" \
    -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac "$work/in$secs.mp4"
  cat > "$work/s$secs.toml" <<TOML
[output]
fps = 30
[clip.a]
kind = "video"
path = "in$secs.mp4"
[clip.b]
from = "a"
effects = ["reverse", { speed = 1.5 }, { loop = { duration = $secs } }, { volume = 0.5 }]
[clip.main]
kind = "composite"
layers = [{ clip = "a" }, { clip = "b", position = ["right", "bottom"] }]
TOML
  for audio in "" "--no-audio"; do
    /usr/bin/time -f "%e %M" -o "$work/t" "$animate" render "$work/s$secs.toml" \
      -o "$work/out.mp4" --preset ultrafast -q $audio
    read -r s kb < "$work/t"
    printf '%2d s render %-11s wall %6.2f s   peak RSS %6.1f MiB\n' "$secs" "${audio:-with sound}" \
      "$s" "$(awk "BEGIN{print $kb/1024}")"
  done
done
