# Both entry points install what the build needs first (scripts/install-deps).
.PHONY: deps demo test build bench

deps:
	@./scripts/install-deps

# The main job on a built-in default: 10,000 particles from the 64-D mixture with the randomized midpoint.
demo: deps
	@mkdir -p out
	swift run -c release midpoint sample --target mixture64 --sampler rm --nfe 50 --particles 10000 --output out/mixture64-rm.npy

# The test suite, in release mode (numeric tests are 10-50x slower in debug builds).
test: deps
	swift test -c release -Xswiftc -enable-testing

build: deps
	swift build -c release

# Benchmarks (ordo-one/benchmark, nested package; not run by CI).
bench: deps
	cd Benchmarks && swift package benchmark
