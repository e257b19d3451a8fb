# Both entry points install what the build needs first (scripts/install-deps: OpenBLAS, LAPACKE, zlib, FFTW).
.PHONY: deps demo test build bench

deps:
	@./scripts/install-deps

# The main job on a built-in default: 1,000 handwritten digits from the shipped score network with the
# recommended sampler, the randomized multistep midpoint (rm-ms; docs/samplers.md, docs/digits-quality), as a
# picture and as .npy.
demo: deps
	@mkdir -p out
	swift run -c release midpoint sample --model digits --sampler rm-ms --nfe 20 --particles 1000 --png out/digits.png --output out/digits.npy

# The test suite, in release mode (numeric tests are 10-50x slower in debug builds), with the test inference
# server (MLServer on loopback, installed into .venv-serve on first use) up for the remote-model tests.
test: deps
	./scripts/test-with-server swift test -c release -Xswiftc -enable-testing

build: deps
	swift build -c release

# Benchmarks (ordo-one/benchmark, nested package; not run by CI).
bench: deps
	cd Benchmarks && swift package benchmark
