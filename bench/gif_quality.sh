#!/usr/bin/env bash
# Rate–distortion of GIF encoders on the same rendered frames: bytes, SSIM and DSSIM.
#   bench/gif_quality.sh [SCENE…]
# GIFSKI=path/to/gifski adds rows of the gifski CLI encoding the same PNG frames
# (`--quality Q --fps F`). The CLI's default build also compresses LZW lossily below
# quality 100 (its `gifsicle` feature); GIFSKI_NO_LOSSY=path adds rows of a gifski built
# without it (`cargo install gifski --no-default-features --features binary`), as
# animate once embedded it. GIFSKI_ANIMATE=path/to/animate-before-issue-19 adds rows of
# gifski 1.34 as that animate embedded it (rendering the scene itself).
# QUALITIES (default "100 90 70 50") picks the qualities of the animate and gifski rows.
# Default scenes: sinc_surface, sinc_composite, effects_grid. Needs ffmpeg (SSIM, and the
# palettegen/paletteuse rows); DSSIM needs the `dssim` CLI (cargo install dssim) on PATH.
# ANIMATE picks the binary under test (default: a release build of this tree).
# Prints one markdown table per scene: SSIM (ffmpeg's, all planes, mean over frames) and
# DSSIM (0 = identical; mean over frames) of the GIF's frames against the PNG frames.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ANIMATE:-}" ]; then
  cargo build --release -q
  ANIMATE=$PWD/target/release/animate
fi
scenes=("$@")
[ ${#scenes[@]} -gt 0 ] || scenes=(scenes/sinc_surface.toml scenes/sinc_composite.toml scenes/effects_grid.toml)
[ -f scenes/assets/sinc.gif ] || "$ANIMATE" render scenes/sinc_surface.toml -o scenes/assets/sinc.gif -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
have_dssim=$(command -v dssim >/dev/null && echo 1 || echo 0)

# mean SSIM and DSSIM of $1 (a GIF) against the frames in $work/ref at $fps
score() {
  local gif=$1 ssim dssim=-
  ssim=$(ffmpeg -hide_banner -nostats -framerate "$fps" -i "$work/ref/%05d.png" -i "$gif" \
    -lavfi "[1:v]fps=$fps,format=rgb24[g];[0:v]format=rgb24[r];[g][r]ssim" -f null - 2>&1 |
    sed -n 's/.* All:\([0-9.]*\).*/\1/p')
  if [ "$have_dssim" = 1 ]; then
    rm -rf "$work/dec" && mkdir "$work/dec"
    ffmpeg -hide_banner -loglevel error -i "$gif" -vf "fps=$fps" -start_number 0 "$work/dec/%05d.png"
    dssim=$(for f in "$work"/dec/*.png; do dssim "$work/ref/$(basename "$f")" "$f"; done |
      awk '{s += $1; n++} END {printf "%.5f", s / n}')
  fi
  printf '| %s | %s | %d | %.4f | %s |\n' "$2" "$3" "$(stat -c %s "$gif")" "$ssim" "$dssim"
}

# rows of the gifski CLI $1 on the frames in $work/ref; $2 is added to its name
gifski_rows() {
  for q in ${QUALITIES:-100 90 70 50}; do
    "$1" --quiet --quality "$q" --fps "$fps" -o "$work/g.gif" "$work"/ref/*.png
    score "$work/g.gif" "gifski $("$1" --version | cut -d' ' -f2) CLI$2" "--quality $q"
  done
}

for scene in "${scenes[@]}"; do
  name=$(basename "$scene" .toml)
  rm -rf "$work/ref" && mkdir "$work/ref"
  "$ANIMATE" render "$scene" -o "$work/ref/%05d.png" -q
  fps=$(sed -n 's/^fps *= *\([0-9.]*\).*/\1/p' "$scene" | head -1)
  echo
  echo "### $name ($(ls "$work/ref" | wc -l) frames at $fps fps)"
  echo
  echo "| encoder | setting | bytes | SSIM | DSSIM |"
  echo "| --- | --- | ---: | ---: | ---: |"
  for q in ${QUALITIES:-100 90 70 50}; do
    "$ANIMATE" render "$scene" -o "$work/a.gif" -q --quality "$q"
    score "$work/a.gif" animate "--quality $q"
  done
  [ -z "${GIFSKI:-}" ] || gifski_rows "$GIFSKI" ""
  [ -z "${GIFSKI_NO_LOSSY:-}" ] || gifski_rows "$GIFSKI_NO_LOSSY" ", no lossy LZW"
  if [ -n "${GIFSKI_ANIMATE:-}" ]; then
    for q in ${QUALITIES:-100 90 70 50}; do
      "$GIFSKI_ANIMATE" render "$scene" -o "$work/g.gif" -q --quality "$q"
      score "$work/g.gif" "gifski (in animate)" "quality $q"
    done
  fi
  for opts in "palettegen|paletteuse" "palettegen=stats_mode=diff|paletteuse=diff_mode=rectangle" \
              "palettegen=max_colors=128|paletteuse" "palettegen=max_colors=64|paletteuse"; do
    ffmpeg -hide_banner -loglevel error -y -framerate "$fps" -i "$work/ref/%05d.png" \
      -lavfi "split[a][b];[a]${opts%%|*}[p];[b][p]${opts#*|}" "$work/f.gif"
    score "$work/f.gif" ffmpeg "${opts/|/ + }"
  done
done
