# `make demo`: install what is missing, build, render the demo scene into out/.
# `make test`: install what is missing, build, run every test.
CARGO ?= cargo
ANIMATE := target/release/animate

.PHONY: deps build demo test bench clean

deps:
	@bash scripts/deps.sh

build: deps
	$(CARGO) build --release

demo: build
	@mkdir -p out
	$(ANIMATE) render scenes/composite.toml -o out/demo.gif
	@echo "demo: open out/demo.gif"

test: deps
	$(CARGO) test

bench: deps
	$(CARGO) bench

clean:
	rm -rf out
