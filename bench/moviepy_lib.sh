# Shared by the bench/*_vs_moviepy.sh scripts (sourced, not run): the MoviePy venv, the
# binary under test, and the timing of one command (median of RUNS after a warm-up).
# The sourcing script sets `runs` and `work` (a scratch folder) first.

venv=${VENV:-/tmp/animate-bench-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  # moviepy 1.0.3 has the article's moviepy.editor; its matplotlib binding breaks on 3.10.
  "$venv/bin/pip" install -q "matplotlib<3.10" "moviepy==1.0.3"
fi
if [ -z "${ANIMATE:-}" ]; then
  cargo build --release -q
  ANIMATE=$PWD/target/release/animate
fi

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# measure LABEL COMMAND…: prints the median wall and CPU (user + sys) seconds and keeps
# each run's in $work/LABEL.runs.
measure() {
  local label=$1; shift
  "$@" >/dev/null 2>&1   # warm-up (disk cache, Python bytecode)
  : > "$work/$label.runs"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>&1
    awk '{ print $1, $2 + $3 }' "$work/time" >> "$work/$label.runs"
  done
  printf '%-26s wall %6.2f s   cpu %6.2f s\n' "$label" \
    "$(cut -d' ' -f1 "$work/$label.runs" | median)" "$(cut -d' ' -f2 "$work/$label.runs" | median)"
}

# ratio ANIMATE_LABEL MOVIEPY_LABEL WHAT: MoviePy's medians over animate's.
ratio() {
  paste <(cut -d' ' -f1 "$work/$1.runs" | median) <(cut -d' ' -f1 "$work/$2.runs" | median) \
    <(cut -d' ' -f2 "$work/$1.runs" | median) <(cut -d' ' -f2 "$work/$2.runs" | median) |
    awk -v what="$3" '{ printf "%s: MoviePy / animate %.1fx wall, %.1fx CPU\n", what, $2 / $1, $4 / $3 }'
}

# The article's two GIFs, made by animate into $work: sinc.gif and sinc_mpl.gif.
sinc_gifs() {
  "$ANIMATE" render scenes/sinc_surface.toml -o "$work/sinc.gif" -q
  "$ANIMATE" render scenes/sinc_plot.toml -o "$work/sinc_mpl.gif" -q
}

# compare SCENE SCRIPT WHAT: the scene in $work (all cores, then one thread) against
# the MoviePy script given $work and its output, and MoviePy's time over animate's.
compare() {
  echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  measure animate "$ANIMATE" render "$work/$1" -o "$work/a.gif" -q
  measure animate-1-thread "$ANIMATE" render "$work/$1" -o "$work/a1.gif" -q --threads 1
  measure moviepy "$venv/bin/python" "$2" "$work" "$work/m.gif"
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  ratio animate moviepy "$3"
}

# versus WHAT EXT SCENE SCRIPT [ARG…]: the scene (a path in this tree, rendered to
# $work/a.EXT on all cores, then on one thread; extra flags in $aflags) against the
# MoviePy script given its ARGs and $work/m.EXT, and MoviePy's time over animate's.
versus() {
  local what=$1 ext=$2 scene=$3 script=$4; shift 4
  echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  # shellcheck disable=SC2086  # $aflags is a list of flags
  measure animate "$ANIMATE" render "$scene" -o "$work/a.$ext" -q ${aflags:-}
  # shellcheck disable=SC2086
  measure animate-1-thread "$ANIMATE" render "$scene" -o "$work/a1.$ext" -q --threads 1 ${aflags:-}
  measure moviepy "$venv/bin/python" "$script" "$@" "$work/m.$ext"
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  ratio animate moviepy "$what"
}
