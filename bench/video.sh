#!/usr/bin/env bash
# Video throughput and memory against the ffmpeg command line doing the same work:
# two 1280x720 30 fps inputs side by side, encoded as H.264 (libx264, CRF 23, preset
# medium). The two tools run alternately, RUNS times each; the script prints every
# run's wall time and peak RSS, then the medians and the ratios.
#   bench/video.sh [SECONDS]        # input length, default 10; try 60 for streaming
#   AUDIO=1 bench/video.sh          # both inputs carry stereo 48 kHz sound: animate
#                                   # with its sound against animate with --no-audio
#   ANIMATE=target/debug/animate    # measure that binary instead of a release build
# Needs the ffmpeg CLI (for the inputs and the reference) and GNU time: installs
# Debian's packages when missing (root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
runs=${RUNS:-3}

missing=()
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "bench: installing ${missing[*]}" >&2
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
    { $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi

[ -n "${ANIMATE:-}" ] || cargo build --release -q
audio=${AUDIO:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Inputs: FFmpeg's moving test patterns, encoded once (not measured).
sound() { # stereo 48 kHz AAC from a sine, when AUDIO=1
  if [ "$audio" = 1 ]; then
    echo -f lavfi -i "sine=frequency=$1:sample_rate=48000:duration=$secs" -ac 2 -c:a aac -b:a 192k
  fi
}
# shellcheck disable=SC2046
ffmpeg -v error -f lavfi -i "testsrc2=size=1280x720:rate=30" $(sound 440) -t "$secs" \
  -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p "$work/a.mp4"
# shellcheck disable=SC2046
ffmpeg -v error -f lavfi -i "mandelbrot=size=1280x720:rate=30" $(sound 660) -t "$secs" \
  -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p "$work/b.mp4"
cat > "$work/scene.toml" <<TOML
[output]
fps = 30
[clip.a]
kind = "video"
path = "a.mp4"
[clip.b]
kind = "video"
path = "b.mp4"
[clip.main]
kind = "grid"
rows = [["a", "b"]]
TOML

animate=${ANIMATE:-$PWD/target/release/animate}
animate=$(realpath "$animate")
ffmpeg_cmd=(ffmpeg -v error -y -i "$work/a.mp4" -i "$work/b.mp4" -filter_complex hstack
  -c:v libx264 -preset medium -crf 23 "$work/ffmpeg.mp4")
if [ "$audio" = 1 ]; then
  # The reference is animate itself without the sound: what sound adds (target +5 %).
  ffmpeg_cmd=("$animate" render "$work/scene.toml" -o "$work/silent.mp4" --crf 23 --preset medium -q --no-audio)
fi
ref=ffmpeg
[ "$audio" = 1 ] && ref=silent
animate_cmd=("$animate" render "$work/scene.toml" -o "$work/animate.mp4" --crf 23 --preset medium -q)
measure() { # label run-number command... ; appends "seconds KiB" to $work/label
  local label=$1 run=$2; shift 2
  /usr/bin/time -f "%e %M %U %S" -o "$work/t" "$@"
  read -r s kb user sys < "$work/t"
  echo "$s $kb" >> "$work/$label"
  printf '%-8s run %d: wall %6.2f s   peak RSS %7.1f MiB   CPU %6.2f s\n' "$label" "$run" "$s" \
    "$(awk "BEGIN{print $kb/1024}")" "$(awk "BEGIN{print $user+$sys}")"
}
echo "inputs: 2 x 1280x720, 30 fps, $secs s; output 2560x720 H.264 CRF 23 medium; $(nproc) cores"
for i in $(seq 1 "$runs"); do
  measure "$ref" "$i" "${ffmpeg_cmd[@]}"
  measure animate "$i" "${animate_cmd[@]}"
done
median() { sort -n -k"$2" "$work/$1" | awk -v c="$2" '{v[NR]=$c} END{print v[int((NR+1)/2)]}'; }
fw=$(median "$ref" 1); aw=$(median animate 1); fm=$(median "$ref" 2); am=$(median animate 2)
printf "median   $ref wall %.2f s, RSS %.1f MiB | animate wall %.2f s, RSS %.1f MiB\n" \
  "$fw" "$(awk "BEGIN{print $fm/1024}")" "$aw" "$(awk "BEGIN{print $am/1024}")"
printf 'ratio    wall %.3fx   peak RSS %.3fx   (targets: <= 1.15x, <= 1.2x)\n' \
  "$(awk "BEGIN{print $aw/$fw}")" "$(awk "BEGIN{print $am/$fm}")"
frames() { ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$1"; }
[ "$audio" = 1 ] || echo "frames   ffmpeg $(frames "$work/ffmpeg.mp4"), animate $(frames "$work/animate.mp4")"
