// swift-tools-version: 6.1
import PackageDescription

// Benchmarks for Midpoint (ordo-one/benchmark). Not run by CI: `cd Benchmarks && swift package benchmark`.
let package = Package(
    name: "MidpointBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Midpoint", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ScoreThroughput",
            dependencies: [
                .product(name: "Midpoint", package: "Midpoint"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ScoreThroughput",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "NetworkInference",
            dependencies: [
                .product(name: "Midpoint", package: "Midpoint"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/NetworkInference",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
