#!/usr/bin/env bash
# Peak memory of a video render of very large frames: 30 frames of 8192x4096 into
# H.264 and VP9. The encoder's look-ahead is shortened for such frames (docs/video.md,
# "Very large frames"); the render's own frames in flight stay within 2 GiB.
#   bench/huge_frames.sh            # ANIMATE=target/debug/animate to measure that binary
# Needs GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${ANIMATE:-}" ] || cargo build --release -q
animate=$(realpath "${ANIMATE:-target/release/animate}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/s.toml" <<TOML
[output]
fps = 10
[clip.main]
kind = "color"
color = "red"
size = [8192, 4096]
duration = 3
TOML
for ext in mp4 webm; do
  /usr/bin/time -f "$ext: %M KiB peak RSS, %e s" "$animate" render "$work/s.toml" -o "$work/out.$ext" -q
done
