#!/usr/bin/env bash
# Every animation of the article, animate against the article's way (MoviePy 1.0.3 with
# matplotlib, NumPy, scikit-image, scikit-learn): runs each comparison script in turn.
#   bench/article_vs_moviepy.sh [RUNS]      (default 5; median after one warm-up each)
# The rows of docs/moviepy.md's "Speed" table, the cheapest first. Same VENV and ANIMATE as the scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
for script in side_by_side_vs_moviepy composition_vs_moviepy filters_vs_moviepy outbreak_vs_moviepy \
  wireframe_vs_moviepy ripple_vs_moviepy bacteria_vs_moviepy classifier_vs_moviepy surface_vs_matplotlib; do
  echo "== bench/$script.sh $runs"
  "bench/$script.sh" "$runs"
  if [ "$script" = filters_vs_moviepy ]; then
    echo "== bench/sinc_vs_matplotlib.sh (RUNS=$runs)"
    RUNS=$runs bench/sinc_vs_matplotlib.sh
  fi
done
