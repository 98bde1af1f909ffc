# `make demo`: install what is missing, build, render the demo scene into out/.
# `make test`: install what is missing, build, run every test (and check that a build
#   without the default `video` feature still compiles).
# `make video-demo`: play two videos rendered from example scenes side by side.
# `make svm-demo`: the article's SVM classifier drawn by scikit-learn and matplotlib (from
#   PyPI, into a virtual environment in out/svm-venv), composed and encoded by animate.
CARGO ?= cargo
ANIMATE ?= target/release/animate

# Inputs of the example scenes, rendered by animate itself from scenes/assets/*.toml,
# or written by the small perl generators in scenes/generators/ (NumPy and CSV files, without
# needing Python: perl is on every Debian-like system).
ASSETS := scenes/assets/tiles.gif scenes/assets/badge.png scenes/assets/outbreak.npy \
          scenes/assets/left.mp4 scenes/assets/right.mp4 scenes/assets/sinc.gif \
          scenes/assets/ripples-0000.png scenes/assets/lorenz.csv scenes/assets/heat.npy \
          scenes/assets/music.wav

.PHONY: deps build demo assets asset-files video-demo svm-demo test bench clean

deps:
	@bash scripts/deps.sh

build: deps
	$(CARGO) build --release

assets: build
	@$(MAKE) --no-print-directory asset-files

# Also used by the tests, with ANIMATE set to the binary under test.
asset-files: $(ASSETS)

scenes/assets/%.gif: scenes/assets/%.toml
	$(ANIMATE) render $< -o $@ -q

scenes/assets/%.png: scenes/assets/%.toml
	$(ANIMATE) frame $< -t 0 -o $@

scenes/assets/%.npy: scenes/generators/%.pl
	perl $< > $@.tmp && mv $@.tmp $@

scenes/assets/%.csv: scenes/generators/%.pl
	perl $< > $@.tmp && mv $@.tmp $@

scenes/assets/%.wav: scenes/generators/%.pl
	perl $< > $@.tmp && mv $@.tmp $@

# The article's sinc.gif, input of the filter comparisons (effects_*.toml).
scenes/assets/sinc.gif: scenes/sinc_surface.toml
	$(ANIMATE) render $< -o $@ -q

# The numbered frames of scenes/image_sequence.toml (ripples-0000.png … ripples-0035.png),
# as a simulation writes them; this rule, not the %.png one above, makes them.
scenes/assets/ripples-0000.png: scenes/assets/ripples.toml
	$(ANIMATE) render $< -o scenes/assets/ripples-%04d.png -q

# The two videos of scenes/video_grid.toml, rendered from other example scenes.
scenes/assets/left.mp4: scenes/composite.toml
	$(ANIMATE) render $< -o $@ -q

scenes/assets/right.mp4: scenes/grid.toml scenes/assets/tiles.gif scenes/assets/badge.png
	$(ANIMATE) render $< -o $@ -q

# The article's composition: the matplotlib-style curve beside the shaded 3-D surface,
# and the colour-keyed surface laid over the curve.
demo: assets
	@mkdir -p out
	$(ANIMATE) render scenes/sinc_composite.toml -o out/demo.gif
	@echo "demo: open out/demo.gif"

video-demo: assets
	@mkdir -p out
	$(ANIMATE) render scenes/video_grid.toml -o out/video_grid.mp4
	@echo "video-demo: open out/video_grid.mp4"

# The scene runs scenes/programs/svm.py with the environment's python3 first on PATH.
SVM_VENV := out/svm-venv
$(SVM_VENV)/bin/python3:
	python3 -m venv $(SVM_VENV)
	$(SVM_VENV)/bin/pip install --quiet scikit-learn matplotlib

svm-demo: build $(SVM_VENV)/bin/python3
	PATH="$(abspath $(SVM_VENV))/bin:$$PATH" $(ANIMATE) render scenes/svm.toml -o out/svm.gif --allow-programs
	@echo "svm-demo: open out/svm.gif"

test: deps
	$(CARGO) test
	$(CARGO) check --no-default-features --all-targets

bench: deps
	$(CARGO) bench

clean:
	rm -rf out $(ASSETS) scenes/assets/ripples-*.png
