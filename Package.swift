// swift-tools-version: 6.1
import PackageDescription

/// Served models (`--model-url`, the `MidpointRemote` module) need grpc-swift, SwiftNIO, async-http-client
/// and swift-protobuf, which take most of a first build. They are built in only when the environment has
/// `MIDPOINT_REMOTE=1` (`make test` sets it): unlike a package trait, which would add a compilation
/// condition to every target and so rebuild the whole library, this switch changes only the targets that
/// use the network, and a default build never resolves those packages.
let servedModels = Context.environment["MIDPOINT_REMOTE"] == "1"

/// Linker and header settings for BLAS/LAPACK: OpenBLAS + LAPACKE on Linux, Accelerate on Apple platforms.
let blasDependencies: [Target.Dependency] = [
    .target(name: "COpenBLAS", condition: .when(platforms: [.linux])),
]

/// The networking packages and the products `MidpointRemote` uses from them, resolved only for builds with
/// served models: (package URL, minimum version, products).
let networking: [(url: String, version: Version, products: [String])] = [
    ("https://github.com/apple/swift-nio", "2.81.0", ["NIOCore", "NIOHTTP1"]),
    ("https://github.com/swift-server/async-http-client", "1.37.0", ["AsyncHTTPClient"]),
    ("https://github.com/grpc/grpc-swift-2", "2.4.3", ["GRPCCore"]),
    ("https://github.com/grpc/grpc-swift-nio-transport", "2.9.2", ["GRPCNIOTransportHTTP2"]),
    ("https://github.com/grpc/grpc-swift-protobuf", "2.4.1", ["GRPCProtobuf"]),
    ("https://github.com/apple/swift-protobuf", "1.39.0", ["SwiftProtobuf"]),
]
let networkingPackages: [Package.Dependency] = servedModels ? networking.map { .package(url: $0.url, from: $0.version) } : []
let networkingProducts: [Target.Dependency] = networking.flatMap { package in
    package.products.map { Target.Dependency.product(name: $0, package: String(package.url.split(separator: "/").last ?? "")) }
}

/// Remote score models over the Open Inference Protocol (KServe v2), kept out of the umbrella so the core
/// library does not depend on the networking packages; with their tests.
let servedModelTargets: [Target] = servedModels ? [
    .target(
        name: "MidpointRemote",
        dependencies: ["MidpointScoreModels", "MidpointLinearAlgebra", "MidpointRandom"] + networkingProducts
    ),
    .testTarget(name: "MidpointRemoteTests", dependencies: ["MidpointRemote", "Midpoint", "MidpointTestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "MidpointServedCLITests", dependencies: ["MidpointCommands", "MidpointFormats", "MidpointTestSupport"]),
] : []

let package = Package(
    name: "Midpoint",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Midpoint", targets: ["Midpoint"]),
        .library(name: "MidpointExperiments", targets: ["MidpointExperiments"]),
        .executable(name: "midpoint", targets: ["MidpointCLI"]),
    ] + (servedModels ? [.library(name: "MidpointRemote", targets: ["MidpointRemote"])] : []),
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ] + networkingPackages,
    targets: [
        // C bridge to OpenBLAS (CBLAS) and LAPACKE; Linux only. macOS uses Accelerate.
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // C bridge to FFTW 3 (Linux; macOS falls back to direct sums): autocovariances for ESS.
        .systemLibrary(
            name: "CFFTW",
            path: "Sources/CFFTW",
            pkgConfig: "fftw3",
            providers: [.apt(["libfftw3-dev"])]
        ),
        // C bridge to zlib: PNG compression (DEFLATE) and its checksums.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // Removing an in-flight temporary output file on SIGINT/SIGTERM/SIGHUP (async-signal-safe C).
        .target(name: "CMidpointSignals"),
        // Hot inner loops (vector kernels, Philox), with an AVX2 clone selected at load time on x86-64; called only
        // through MidpointLinearAlgebra's VectorKernels and MidpointRandom's RandomStream.
        .target(name: "CMidpointKernels"),
        .target(
            name: "MidpointLinearAlgebra",
            dependencies: blasDependencies + ["CMidpointKernels"],
            linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS]))]
        ),
        .target(name: "MidpointRandom", dependencies: ["MidpointLinearAlgebra", "CMidpointKernels"]),
        // File formats (NumPy .npy, safetensors, CSV/JSON tables, PNG bytes) and atomic writes.
        .target(name: "MidpointFormats", dependencies: ["CZlib", "CMidpointSignals"]),
        // Pictures: rasters (scatter plots, image grids) and SVG line charts.
        .target(name: "MidpointPlots", dependencies: ["MidpointFormats"]),
        // Underdamped Langevin step coefficients shared by the diffusion corrector and the log-concave samplers.
        .target(name: "MidpointLangevin", dependencies: ["MidpointLinearAlgebra"]),
        // Tuning values and the index of which sampler reads which key, shared by both sampler families.
        .target(name: "MidpointSettings"),
        // The forward (OU) process and the score-model protocol with its counted evaluator.
        .target(name: "MidpointScoreModels", dependencies: ["MidpointLinearAlgebra", "MidpointRandom"]),
        // Exact targets: Gaussian mixtures and product mixtures with closed-form scores at every time.
        .target(name: "MidpointTargets", dependencies: ["MidpointLinearAlgebra", "MidpointRandom", "MidpointScoreModels", "MidpointFormats"]),
        // Diffusion samplers, their settings, registry and time grids.
        .target(name: "MidpointDiffusion", dependencies: ["MidpointLinearAlgebra", "MidpointRandom", "MidpointLangevin", "MidpointScoreModels", "MidpointSettings"]),
        .target(
            name: "MidpointLogConcave",
            dependencies: ["MidpointLinearAlgebra", "MidpointRandom", "MidpointLangevin", "MidpointFormats", "MidpointSettings"],
            exclude: ["Resources/SOURCE.md"],
            resources: [.copy("Resources/breast_cancer.csv")]
        ),
        .target(
            name: "MidpointNetworks",
            dependencies: ["MidpointLinearAlgebra", "MidpointScoreModels", "MidpointTargets", "MidpointFormats"],
            exclude: ["Resources/SOURCE.md"],
            resources: [
                .copy("Resources/digits.csv"), .copy("Resources/digits.safetensors"), .copy("Resources/fashion-classifier.safetensors"),
                .copy("Resources/ring2d.safetensors"), .copy("Resources/digits.card.json"), .copy("Resources/ring2d.card.json"),
            ]
        ),
        .target(
            name: "MidpointMetrics",
            dependencies: ["MidpointLinearAlgebra", "MidpointRandom", "MidpointScoreModels", "MidpointTargets", "MidpointFormats",
                           .target(name: "CFFTW", condition: .when(platforms: [.linux]))]
        ),
        // Experiments: exact error recursions, scaling and cost searches, sampler comparisons. Its own
        // product, outside the umbrella: a study is not part of the sampling library.
        .target(
            name: "MidpointExperiments",
            dependencies: ["MidpointLinearAlgebra", "MidpointRandom", "MidpointScoreModels", "MidpointTargets",
                           "MidpointDiffusion", "MidpointLangevin", "MidpointLogConcave", "MidpointMetrics",
                           "MidpointPlots", "MidpointFormats"]
        ),
        // The umbrella: `import Midpoint` brings in every sampling module.
        .target(
            name: "Midpoint",
            dependencies: [
                "MidpointLinearAlgebra", "MidpointRandom", "MidpointFormats", "MidpointPlots", "MidpointLangevin",
                "MidpointSettings", "MidpointScoreModels", "MidpointTargets", "MidpointDiffusion", "MidpointLogConcave", "MidpointMetrics",
                "MidpointNetworks",
            ]
        ),
        // The command-line tool's commands and option groups, as a library the tests call in-process.
        .target(
            name: "MidpointCommands",
            dependencies: ["Midpoint", "MidpointExperiments", .product(name: "ArgumentParser", package: "swift-argument-parser")]
                + (servedModels ? ["MidpointRemote"] : []),
            swiftSettings: servedModels ? [.define("MIDPOINT_REMOTE")] : []
        ),
        .executableTarget(name: "MidpointCLI", dependencies: ["MidpointCommands"]),
        .target(name: "MidpointTestSupport", dependencies: ["Midpoint"], path: "Tests/MidpointTestSupport"),
        .testTarget(name: "MidpointLinearAlgebraTests", dependencies: ["MidpointLinearAlgebra", "MidpointTestSupport"]),
        .testTarget(name: "MidpointSettingsTests", dependencies: ["MidpointSettings"]),
        .testTarget(name: "MidpointRandomTests", dependencies: ["MidpointRandom", "MidpointLinearAlgebra", "MidpointTestSupport"]),
        .testTarget(name: "MidpointLangevinTests", dependencies: ["MidpointLangevin", "MidpointRandom", "MidpointTestSupport"]),
        .testTarget(
            name: "MidpointFormatsTests",
            dependencies: ["MidpointFormats", "MidpointTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "MidpointPlotsTests", dependencies: ["MidpointPlots", "MidpointFormats", "MidpointTestSupport", "CZlib"]),
        .testTarget(name: "MidpointScoreModelsTests", dependencies: ["MidpointScoreModels", "MidpointTargets", "MidpointLinearAlgebra", "MidpointTestSupport"]),
        .testTarget(name: "MidpointTargetsTests", dependencies: ["MidpointTargets", "MidpointScoreModels", "MidpointLinearAlgebra", "MidpointRandom", "MidpointTestSupport"]),
        .testTarget(name: "MidpointDiffusionTests", dependencies: ["MidpointDiffusion", "MidpointScoreModels", "MidpointTargets", "MidpointMetrics", "MidpointLinearAlgebra", "MidpointRandom", "MidpointTestSupport"]),
        .testTarget(name: "MidpointExperimentsTests", dependencies: ["MidpointExperiments", "MidpointDiffusion", "MidpointLinearAlgebra", "MidpointLogConcave", "MidpointMetrics", "MidpointRandom", "MidpointScoreModels", "MidpointTargets", "MidpointTestSupport"]),
        .testTarget(name: "MidpointLogConcaveTests", dependencies: ["MidpointLogConcave", "MidpointMetrics", "MidpointFormats", "MidpointLangevin", "MidpointLinearAlgebra", "MidpointRandom", "MidpointTestSupport"]),
        .testTarget(
            name: "MidpointMetricsTests",
            dependencies: ["MidpointMetrics", "MidpointLinearAlgebra", "MidpointRandom", "MidpointTargets", "MidpointTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MidpointNetworksTests",
            dependencies: ["MidpointNetworks", "MidpointMetrics", "MidpointDiffusion", "MidpointFormats", "MidpointLinearAlgebra",
                           "MidpointScoreModels", "MidpointTargets", "MidpointTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MidpointCommandsTests",
            dependencies: ["MidpointCommands", "Midpoint", "MidpointFormats", "MidpointLinearAlgebra", "MidpointTargets", "MidpointTestSupport",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            resources: [.copy("Fixtures")],
            swiftSettings: servedModels ? [.define("MIDPOINT_REMOTE")] : []
        ),
    ] + servedModelTargets,
    swiftLanguageModes: [.v6]
)
