# Both entry points install what the build needs first (scripts/install-deps: OpenBLAS, LAPACKE, zlib, FFTW).
.PHONY: deps demo test build build-remote bench

deps:
	@./scripts/install-deps

# The main job on a built-in default: 1,000 handwritten digits from the shipped score network with the
# recommended sampler, the randomized multistep midpoint (rm-ms; docs/samplers.md, docs/digits-quality), as a
# picture and as .npy.
demo: deps
	@mkdir -p out
	swift build -c release --product midpoint
	.build/release/midpoint sample --model digits --sampler rm-ms --nfe 20 --particles 1000 --png out/digits.png --output out/digits.npy

# The test suite, in release mode (numeric tests are 10-50x slower in debug builds), with served models built
# in and the test inference servers (MLServer on loopback, installed into .venv-serve on first use) up for
# the remote-model tests (scripts/test).
test: deps
	./scripts/test

build: deps
	swift build -c release

# The command-line tool with served models (--model-url; grpc-swift, SwiftNIO, async-http-client).
build-remote: deps
	MIDPOINT_REMOTE=1 swift build -c release

# Benchmarks (ordo-one/benchmark, nested package; not run by CI).
bench: deps
	cd Benchmarks && swift package benchmark
