#!/usr/bin/env bash
# Costs of text clips, measured with the release build:
#  1. startup: `animate check` on a scene without text, with text in the bundled font,
#     and with an installed family (which scans the system's fonts), 20 runs each;
#  2. per frame: 300 frames of a boxed paragraph layered over a backdrop, against the
#     same scene with the text replaced by a colour clip of its size. An opaque cover on
#     top makes both scenes' frames identical, so encoding costs the same and the
#     difference is the text clip's own per-frame cost: static text is drawn once, so
#     the two should cost the same per frame (the one-off drawing shows in `check`);
#  3. live values: 300 frames of a changing label "t = {t:.2f} s" (a new text every
#     frame, drawn every frame) against the static label "t = 0.00 s", both under an
#     opaque cover, 640x360: the difference is the per-frame cost of live text.
#   bench/text.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=$PWD/target/release/animate
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

cat >"$dir/none.toml" <<'EOF'
[clip.c]
kind = "color"
color = "red"
size = [64, 64]
EOF
cat >"$dir/bundled.toml" <<'EOF'
[clip.t]
kind = "text"
text = "Equalized"
EOF
cat >"$dir/system.toml" <<'EOF'
[clip.t]
kind = "text"
text = "Equalized"
font = "Noto Sans"
EOF

echo "startup, 20 runs of animate check:"
for s in none bundled system; do
  start=$(date +%s.%N)
  for _ in $(seq 20); do "$bin" check "$dir/$s.toml" >/dev/null; done
  end=$(date +%s.%N)
  awk -v s="$s" -v a="$start" -v b="$end" 'BEGIN { printf "  %-8s %6.1f ms per run\n", s, (b - a) * 1000 / 20 }'
done

paragraph='The quick brown fox jumps over the lazy dog. Équations, ångströms and \"quotes\". 中文 العربية'
for kind in text color; do
  if [ "$kind" = text ]; then
    over="kind = \"text\"
text = \"$paragraph\"
font_size = 28
size = [600, 300]
color = \"white\"
stroke = { color = \"black\", width = 2 }"
  else
    over='kind = "color"
color = "#ffffff80"
size = [600, 300]'
  fi
  cat >"$dir/$kind.toml" <<EOF
[output]
fps = 30
[clip.bg]
kind = "color"
color = "steelblue"
size = [640, 360]
duration = 10
[clip.over]
$over
[clip.cover]
kind = "color"
color = "black"
size = [600, 300]
[clip.main]
kind = "composite"
layers = [
  { clip = "bg" },
  { clip = "over", position = "center" },
  { clip = "cover", position = "center" },
]
EOF
done

echo "resolving (drawing the text once), 20 runs of animate check:"
for kind in text color; do
  start=$(date +%s.%N)
  for _ in $(seq 20); do "$bin" check "$dir/$kind.toml" >/dev/null; done
  end=$(date +%s.%N)
  awk -v s="$kind" -v a="$start" -v b="$end" 'BEGIN { printf "  %-6s %6.1f ms per run\n", s, (b - a) * 1000 / 20 }'
done

echo "300 frames (640x360, PNG sequence), 1 thread:"
for kind in text color; do
  rm -rf "$dir/out" && mkdir "$dir/out"
  start=$(date +%s.%N)
  "$bin" render "$dir/$kind.toml" -o "$dir/out/" --threads 1 -q >/dev/null
  end=$(date +%s.%N)
  awk -v s="$kind" -v a="$start" -v b="$end" 'BEGIN { printf "  %-6s %6.2f s, %5.2f ms per frame\n", s, b - a, (b - a) * 1000 / 300 }'
done

for kind in live fixed; do
  if [ "$kind" = live ]; then label='t = {t:.2f} s'; else label='t = 0.00 s'; fi
  cat >"$dir/$kind.toml" <<EOF
[output]
fps = 30
[clip.bg]
kind = "color"
color = "steelblue"
size = [640, 360]
duration = 10
[clip.label]
kind = "text"
text = "$label"
color = "white"
padding = 6
duration = 10
[clip.cover]
kind = "color"
color = "black"
size = [640, 360]
[clip.main]
kind = "composite"
layers = [
  { clip = "bg" },
  { clip = "label", position = ["left", "top"] },
  { clip = "cover" },
]
EOF
done

echo "live label, 300 frames (640x360, PNG sequence), 1 thread:"
for kind in live fixed; do
  rm -rf "$dir/out" && mkdir "$dir/out"
  start=$(date +%s.%N)
  "$bin" render "$dir/$kind.toml" -o "$dir/out/" --threads 1 -q >/dev/null
  end=$(date +%s.%N)
  awk -v s="$kind" -v a="$start" -v b="$end" 'BEGIN { printf "  %-6s %6.2f s, %5.2f ms per frame\n", s, b - a, (b - a) * 1000 / 300 }'
done
echo "loading the label (the live one measures its box), 20 runs of animate check:"
for kind in live fixed; do
  start=$(date +%s.%N)
  for _ in $(seq 20); do "$bin" check "$dir/$kind.toml" >/dev/null; done
  end=$(date +%s.%N)
  awk -v s="$kind" -v a="$start" -v b="$end" 'BEGIN { printf "  %-6s %6.1f ms per run\n", s, (b - a) * 1000 / 20 }'
done
