import Foundation

/// One OpenBLAS kernel for tests that compare bits across machines.
///
/// OpenBLAS chooses its kernels by CPU when it loads, and kernels sum in different orders: the same
/// product differs in its last bits between an AVX-512 machine (SkylakeX kernels) and an AVX2 one
/// (Haswell kernels, which Zen shares). A child process started with ``environment`` uses the Haswell
/// kernels on any x86-64 CPU with AVX2 and FMA, so a recording made with them replays bit for bit there.
public enum PinnedBLAS {
    /// The kernel name OpenBLAS reads from `OPENBLAS_CORETYPE` and prints as `Core: …`.
    public static let core = "Haswell"

    /// The variables that pin the kernel in a child process; `OPENBLAS_VERBOSE=2` makes OpenBLAS print
    /// the kernel it chose on stderr, so a caller can check the pin took.
    public static let environment = ["OPENBLAS_CORETYPE": core, "OPENBLAS_VERBOSE": "2"]

    /// Whether this machine can run the pinned kernel: Linux on x86-64 (OpenBLAS, not Accelerate) with
    /// AVX2 and FMA in `/proc/cpuinfo`.
    public static let isAvailable: Bool = {
        #if os(Linux) && arch(x86_64)
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        let set = Set(flags.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }))
        return set.contains("avx2") && set.contains("fma")
        #else
        return false
        #endif
    }()

    /// Whether a child's stderr says OpenBLAS ran the pinned kernel.
    public static func took(stderr: String) -> Bool { stderr.contains("Core: \(core)") }
}
