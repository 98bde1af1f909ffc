#!/usr/bin/env bash
# The article's NumPy simulation, a zombie outbreak on a grid (80 days at 10 fps,
# 384×288 GIF with a title and a day counter): scenes/outbreak.toml with animate, whose
# program scenes/programs/outbreak.py simulates in Python's standard library, against
# the same rules vectorised with NumPy and written by MoviePy 1.0.3, the article's way
# (bench/outbreak_mpy.py). Both simulations run inside the timed command. A second row
# times scenes/outbreak_sim.toml, the same rules as a `kind = "simulation"` clip stepped
# by animate itself (no program; drawn through a colormap rather than the program's
# three-colour mix).
#   bench/outbreak_vs_moviepy.sh [RUNS]      (default 5; median after one warm-up)
# Installs MoviePy into a venv under /tmp on first use (VENV= to choose another). Needs
# GNU time and python3. ANIMATE picks the binary under test (default: a release build
# of this tree).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source bench/moviepy_lib.sh
aflags=--allow-programs
versus "zombie outbreak" gif scenes/outbreak.toml bench/outbreak_mpy.py
measure animate-simulation "$ANIMATE" render scenes/outbreak_sim.toml -o "$work/s.gif" -q
ratio animate-simulation moviepy "zombie outbreak as a simulation"
