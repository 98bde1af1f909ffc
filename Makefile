# `make demo`: install what is missing, build, render the demo scene into out/.
# `make test`: install what is missing, build, run every test (and check that a build
#   without the default `video` feature still compiles).
# `make video-demo`: render two example scenes to MP4, then play them side by side.
CARGO ?= cargo
ANIMATE := target/release/animate

.PHONY: deps build demo video-demo test bench clean

deps:
	@bash scripts/deps.sh

build: deps
	$(CARGO) build --release

demo: build
	@mkdir -p out
	$(ANIMATE) render scenes/composite.toml -o out/demo.gif
	@echo "demo: open out/demo.gif"

video-demo: build
	@mkdir -p out
	$(ANIMATE) render scenes/composite.toml -o out/left.mp4
	$(ANIMATE) render scenes/grid.toml -o out/right.mp4
	$(ANIMATE) render scenes/video_grid.toml -o out/video_grid.mp4
	@echo "video-demo: open out/video_grid.mp4"

test: deps
	$(CARGO) test
	$(CARGO) check --no-default-features --all-targets

bench: deps
	$(CARGO) bench

clean:
	rm -rf out
