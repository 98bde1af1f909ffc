# `make demo`: install what is missing, build, render the demo scene into out/.
# `make test`: install what is missing, build, run every test.
CARGO ?= cargo
ANIMATE ?= target/release/animate

# Inputs of the example scenes, rendered by animate itself from scenes/assets/*.toml,
# or written by the small perl generators in scenes/generators/ (NumPy files, without
# needing Python: perl is on every Debian-like system).
ASSETS := scenes/assets/tiles.gif scenes/assets/badge.png scenes/assets/outbreak.npy

.PHONY: deps build demo assets asset-files test bench clean

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

demo: assets
	@mkdir -p out
	$(ANIMATE) render scenes/composite.toml -o out/demo.gif
	@echo "demo: open out/demo.gif"

test: deps
	$(CARGO) test

bench: deps
	$(CARGO) bench

clean:
	rm -rf out $(ASSETS)
