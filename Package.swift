// swift-tools-version: 6.1
import PackageDescription

/// Linker and header settings for BLAS/LAPACK: OpenBLAS + LAPACKE on Linux, Accelerate on Apple platforms.
let blasDependencies: [Target.Dependency] = [
    .target(name: "COpenBLAS", condition: .when(platforms: [.linux])),
]

let package = Package(
    name: "Midpoint",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Midpoint", targets: ["Midpoint"]),
        .executable(name: "midpoint", targets: ["MidpointCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
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
        // Hot inner loops of the score models, with an AVX2 clone selected at load time on x86-64.
        .target(name: "CMidpointKernels"),
        .target(
            name: "MidpointLinearAlgebra",
            dependencies: blasDependencies + ["CMidpointKernels"],
            linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS]))]
        ),
        .target(name: "MidpointRandom", dependencies: ["MidpointLinearAlgebra", "CMidpointKernels"]),
        .target(name: "MidpointFormats", dependencies: ["CZlib"]),
        .target(name: "MidpointLangevin", dependencies: ["CMidpointKernels", "MidpointLinearAlgebra", "MidpointRandom"]),
        .target(name: "MidpointDiffusion", dependencies: ["MidpointLinearAlgebra", "MidpointRandom", "MidpointLangevin", "MidpointFormats"]),
        .target(
            name: "MidpointLogConcave",
            dependencies: ["MidpointLinearAlgebra", "MidpointRandom", "MidpointLangevin", "MidpointFormats"],
            exclude: ["Resources/SOURCE.md"],
            resources: [.copy("Resources/breast_cancer.csv")]
        ),
        .target(
            name: "MidpointNetworks",
            dependencies: ["CMidpointKernels", "MidpointLinearAlgebra", "MidpointDiffusion", "MidpointFormats"],
            exclude: ["Resources/SOURCE.md"],
            resources: [
                .copy("Resources/digits.csv"), .copy("Resources/digits.safetensors"),
                .copy("Resources/ring2d.safetensors"),
            ]
        ),
        .target(
            name: "MidpointMetrics",
            dependencies: ["MidpointLinearAlgebra", "MidpointRandom", "MidpointDiffusion", "MidpointFormats",
                           .target(name: "CFFTW", condition: .when(platforms: [.linux]))]
        ),
        .target(
            name: "Midpoint",
            dependencies: [
                "MidpointLinearAlgebra", "MidpointRandom", "MidpointFormats",
                "MidpointLangevin", "MidpointDiffusion", "MidpointLogConcave", "MidpointMetrics",
                "MidpointNetworks",
            ]
        ),
        .executableTarget(
            name: "MidpointCLI",
            dependencies: [
                "Midpoint",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "MidpointTestSupport", dependencies: ["Midpoint"], path: "Tests/MidpointTestSupport"),
        .testTarget(name: "MidpointLinearAlgebraTests", dependencies: ["MidpointLinearAlgebra", "MidpointTestSupport"]),
        .testTarget(name: "MidpointRandomTests", dependencies: ["MidpointRandom", "MidpointTestSupport"]),
        .testTarget(name: "MidpointLangevinTests", dependencies: ["MidpointLangevin", "MidpointRandom", "MidpointTestSupport"]),
        .testTarget(
            name: "MidpointFormatsTests",
            dependencies: ["MidpointFormats", "MidpointTestSupport", "CZlib"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "MidpointDiffusionTests", dependencies: ["MidpointDiffusion", "MidpointMetrics", "MidpointTestSupport"]),
        .testTarget(name: "MidpointLogConcaveTests", dependencies: ["MidpointLogConcave", "MidpointMetrics", "MidpointFormats", "MidpointTestSupport"]),
        .testTarget(
            name: "MidpointMetricsTests",
            dependencies: ["MidpointMetrics", "MidpointTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MidpointNetworksTests",
            dependencies: ["MidpointNetworks", "MidpointMetrics", "MidpointTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "MidpointCLITests", dependencies: ["MidpointCLI", "MidpointTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
