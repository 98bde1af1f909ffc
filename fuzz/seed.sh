#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seed inputs and fuzz/fixtures/ with tiny stand-ins for
# the files the example scenes read (the scene target resolves relative paths there).
# Nothing it writes is committed. Run from anywhere, after a debug build of the binary:
#   cargo build && fuzz/seed.sh
# ANIMATE=path/to/animate picks another binary.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
animate=${ANIMATE:-$repo/target/debug/animate}
[ -x "$animate" ] || { echo "seed.sh: no binary at $animate: run cargo build first" >&2; exit 1; }
corpus=$here/corpus
fixtures=$here/fixtures
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$corpus"/{scene,expr,gif,png,npy,csv,font} "$fixtures"/{assets,data}

# Seeds are named by their content's hash, as libFuzzer names what it finds.
put() { # put TARGET FILE
    local sum
    sum=$(sha1sum "$2" | cut -c1-40)
    cp "$2" "$corpus/$1/$sum"
}

# A tiny scene rendered by the binary: render SCENE_TEXT OUT [extra args]
render() {
    local text=$1 out=$2
    shift 2
    printf '%s\n' "$text" > "$work/s.toml"
    "$animate" render "$work/s.toml" -o "$out" -q "$@"
}
frame() { # frame SCENE_TEXT OUT.png
    printf '%s\n' "$1" > "$work/s.toml"
    "$animate" frame "$work/s.toml" -t 0 -o "$2"
}

# --- GIF and PNG: small pictures the binary makes -------------------------------------
tiles='[output]
fps = 5
[clip.a]
kind = "color"
color = "tomato"
size = [12, 9]
duration = 0.6
[clip.b]
kind = "color"
color = "#2040ff80"
size = [12, 9]
duration = 0.6
[clip.main]
kind = "sequence"
clips = ["a", "b"]
crossfade = 0.2'
render "$tiles" "$fixtures/assets/tiles.gif"
render "$tiles" "$fixtures/assets/sinc.gif"
put gif "$fixtures/assets/tiles.gif"
render "$tiles" "$work/t.gif" --size 5x3
put gif "$work/t.gif"
render '[output]
background = "transparent"
fps = 4
[clip.main]
kind = "color"
color = "red"
size = [6, 6]
duration = 1
effects = [{ opacity = "t" }, { rotate = "90*t" }]' "$work/alpha.gif"
put gif "$work/alpha.gif"
render '[clip.main]
kind = "text"
text = "Ag"
font_size = 10
duration = 0.4' "$work/text.gif"
put gif "$work/text.gif"

frame '[clip.main]
kind = "color"
color = "gold"
size = [8, 5]' "$fixtures/assets/badge.png"
put png "$fixtures/assets/badge.png"
frame '[output]
background = "transparent"
[clip.main]
kind = "text"
text = "x²"
font_size = 9' "$work/a.png"
put png "$work/a.png"
frame "$tiles" "$work/b.png"
put png "$work/b.png"

# --- NPY: perl writes the format (as scenes/generators/ do) ---------------------------
npy() { # npy DESCR SHAPE PACK_FORMAT COUNT > file
    perl -e '
        my ($descr, $shape, $fmt, $n) = @ARGV;
        my $h = "{\x27descr\x27: \x27$descr\x27, \x27fortran_order\x27: False, \x27shape\x27: $shape, }";
        $h .= " " x ((64 - (10 + length($h) + 1) % 64) % 64) . "\n";
        print "\x93NUMPY\x01\x00", pack("v", length $h), $h;
        print pack($fmt, (map { $_ % 7 - 2.5 } 0 .. $n - 1));
    ' "$@"
}
npy '<f4' '(3, 4, 5)' 'f<*' 60 > "$fixtures/assets/outbreak.npy"
put npy "$fixtures/assets/outbreak.npy"
npy '<f8' '(2, 3)' 'd<*' 6 > "$work/a.npy"; put npy "$work/a.npy"
npy '>f4' '(1, 2, 2)' 'f>*' 4 > "$work/b.npy"; put npy "$work/b.npy"
npy '|u1' '(2, 2, 3, 3)' 'C*' 36 > "$work/c.npy"; put npy "$work/c.npy"
npy '|u1' '(4, 4)' 'C*' 16 > "$work/d.npy"; put npy "$work/d.npy"
npy '<i8' '(2, 2, 2)' 'q<*' 8 > "$work/e.npy"; put npy "$work/e.npy"
npy '>u2' '(1, 3, 2)' 'n*' 6 > "$work/f.npy"; put npy "$work/f.npy"
npy '<f2' '(2, 2)' 'v*' 4 > "$work/g.npy"; put npy "$work/g.npy"
npy '|b1' '(1, 2, 3)' 'C*' 6 > "$work/h.npy"; put npy "$work/h.npy"

# --- CSV ----------------------------------------------------------------------------
cp "$repo/scenes/data/temperature.csv" "$fixtures/data/"
head -c 400 "$repo/scenes/data/temperature.csv" > "$work/t.csv"; put csv "$work/t.csv"
printf 'x,y,day\n1,2,3\n-1.5e3, ,inf\n"4",NaN,0x1\n' > "$work/a.csv"; put csv "$work/a.csv"
printf 'day;x;y\r\n1;2\r\n' > "$work/b.csv"; put csv "$work/b.csv"
printf '"x","y","day"\n"1,5",2,\n' > "$work/c.csv"; put csv "$work/c.csv"

# --- Fonts: small ones from the system and from ttf-parser's tests, if present --------
{
    find /usr/share/fonts -type f \( -name '*.ttf' -o -name '*.otf' \) -size -40k 2>/dev/null | sort | head -n 6
    find "${CARGO_HOME:-$HOME/.cargo}/registry/src" -path '*ttf-parser*/tests/fonts/*' \
        -type f \( -name '*.ttf' -o -name '*.otf' \) -size -40k 2>/dev/null | sort | head -n 6
} | while read -r f; do put font "$f"; done

# --- Scenes: the examples and the scenes written by the integration tests -------------
for f in "$repo"/scenes/*.toml "$repo"/scenes/assets/*.toml; do put scene "$f"; done
# Raw strings (r#"…"#) and plain string literals holding a [clip.…] table, unescaped.
perl -0777 -ne '
    while (/r#"(.*?)"#/sg) { my $s = $1; print "$s\0" if $s =~ /\[clip\./ }
    while (/(?<![#\w])"((?:[^"\\]|\\.)*\[clip\.(?:[^"\\]|\\.)*)"/sg) {
        my $s = $1; $s =~ s/\\n/\n/g; $s =~ s/\\"/"/g; $s =~ s/\\\\/\\/g; print "$s\0";
    }
' "$repo"/tests/integration/*.rs > "$work/tests.bin"
n=0
while IFS= read -r -d '' s; do
    printf '%s\n' "$s" > "$work/t.toml"
    put scene "$work/t.toml"
    n=$((n + 1))
done < "$work/tests.bin"

# --- Expressions: every quoted string of the scene seeds with an operator or a call,
# and a few that reach the corners of the language.
cat "$corpus"/scene/* | perl -ne 'while (/"([^"\n]*[-+*\/^(<>=?][^"\n]*)"/g) { print "$1\0" }' \
    > "$work/exprs.bin"
printf '%s\0' 'sinc(x^2 + y^2) + sin(x + k*pi*t/duration)' 'x < 0 ? -x : x % 3' \
    'clamp(floor(frame / fps), 0, 1) * speed' '--x^-2^0.5' 'atan2(y, x) >= pi / 4 && !(t > 1)' \
    'max(min(x, y), lerp(0, 1, smoothstep(0, 1, t)))' '1e308 * 10 - inf' >> "$work/exprs.bin"
while IFS= read -r -d '' e; do
    printf '%s' "$e" > "$work/e.txt"
    put expr "$work/e.txt"
done < "$work/exprs.bin"

for t in scene expr gif png npy csv font; do
    printf '%-6s %4d seeds\n' "$t" "$(ls "$corpus/$t" | wc -l)"
done
