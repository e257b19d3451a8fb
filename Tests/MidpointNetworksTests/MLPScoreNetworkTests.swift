import Foundation
import MidpointFormats
import MidpointLinearAlgebra
import MidpointNetworks
import MidpointScoreModels
import Testing

/// The MLP score network against PyTorch (committed test vectors), against its formula on a network small
/// enough to evaluate by hand, and its refusal of files that do not describe it.
@Suite struct MLPScoreNetworkTests {
    /// ε̂ for the test vectors' inputs, and the vectors' float32 and float64 PyTorch outputs.
    static func evaluate(_ model: ShippedModel) throws -> (ours: Matrix, f32: Matrix, f64: Matrix) {
        let url = try #require(Bundle.module.url(forResource: "\(model.rawValue)-vectors", withExtension: "safetensors",
                                                 subdirectory: "Fixtures"))
        let vectors = try SafeTensors.read(contentsOf: url.path)
        let network = try model.load()
        let x = try vectors.tensor("x"), tau = try vectors.tensor("tau")
        let n = x.shape[0], d = x.shape[1]
        #expect(d == network.dimension)
        let xm = Matrix(rows: n, columns: d, storage: x.values)
        var out = Matrix(rows: n, columns: d)
        tau.values.withUnsafeBufferPointer { t in
            xm.withView { xv in out.withMutableView { network.predictNoise(times: t, x: xv, into: $0) } }
        }
        return (out, Matrix(rows: n, columns: d, storage: try vectors.tensor("eps_f32").values),
                Matrix(rows: n, columns: d, storage: try vectors.tensor("eps_f64").values))
    }

    /// The largest row-wise relative error `‖a − b‖∞ / ‖b‖∞` over the rows.
    static func maxRelativeError(_ a: Matrix, _ b: Matrix) -> Double {
        (0..<a.rows).map { i in
            let ra = a.row(i), rb = b.row(i)
            let diff = zip(ra, rb).map { abs($0 - $1) }.max()!
            return diff / rb.map(abs).max()!
        }.max()!
    }

    @Test(arguments: ShippedModel.allCases)
    func matchesPyTorch(_ model: ShippedModel) throws {
        let (ours, f32, f64) = try Self.evaluate(model)
        print("\(model.rawValue): max row-wise relative error vs PyTorch float64 \(Self.maxRelativeError(ours, f64)), vs float32 \(Self.maxRelativeError(ours, f32))")
        // Same float32 weights evaluated in float64 on both sides: only summation order differs.
        #expect(Self.maxRelativeError(ours, f64) < 1e-10)
        // PyTorch's own float32 arithmetic: the bar.
        #expect(Self.maxRelativeError(ours, f32) < 1e-5)
    }

    /// d = 1, W = 1, E = 2, one non-residual block: every term by hand.
    @Test func smallNetworkFollowsTheFormula() throws {
        let arch = MLPArchitecture(dimension: 1, width: 1, blocks: 1, residual: false, embedding: 2, timeScale: 0.5, maxPeriod: 7)
        let p: [String: (shape: [Int], values: [Double])] = [
            "time.weight": ([1, 2], [0.3, -0.2]), "time.bias": ([1], [0.1]),
            "input.weight": ([1, 1], [1.5]), "input.bias": ([1], [-0.4]),
            "blocks.0.linear1.weight": ([1, 1], [0.7]), "blocks.0.linear1.bias": ([1], [0.2]),
            "blocks.0.time.weight": ([1, 1], [-1.1]),
            "blocks.0.linear2.weight": ([1, 1], [2.0]), "blocks.0.linear2.bias": ([1], [0.05]),
            "output.weight": ([1, 1], [-0.9]), "output.bias": ([1], [0.3]),
        ]
        let net = try MLPScoreNetwork(architecture: arch, parameters: p)
        func silu(_ v: Double) -> Double { v / (1 + exp(-v)) }
        for (tau, x) in [(0.01, 0.5), (0.7, -1.2), (5.0, 3.0)] {
            let u = 0.5 * ForwardProcess.logSNR(tau)  // f_0 = 1 for E = 2
            let t = silu(0.3 * sin(u) - 0.2 * cos(u) + 0.1)
            let h0 = 1.5 * x - 0.4 + t
            let z = 0.7 * silu(h0) + 0.2 - 1.1 * t
            let h1 = 2.0 * silu(z) + 0.05
            let eps = -0.9 * silu(h1) + 0.3
            let s = net.score(tau: tau, at: [x])[0]
            #expect(abs(s - (-eps / ForwardProcess.sigma(tau))) <= 1e-14 * abs(s))
        }
    }

    @Test func siluKernelMatchesItsDefinition() {
        var xs: [Double] = [-1000, -745, -708, -40, -1, -1e-300, 0, 1e-300, 0.5, 3, 36, 709, 1000]
        xs += (0..<997).map { -30 + 60 * Double($0) / 996 }
        var out = [Double](repeating: 0, count: xs.count)
        VectorKernels.silu(xs, into: &out, count: xs.count)
        for (x, y) in zip(xs, out) {
            let expected = x / (1 + exp(-x))
            #expect(abs(y - expected) <= 4e-16 * abs(expected) + 1e-300, "SiLU(\(x)) = \(y), expected \(expected)")
        }
        var nan = [Double.nan, 1]
        nan.withUnsafeMutableBufferPointer { VectorKernels.silu($0.baseAddress!, into: $0.baseAddress!, count: 2) }
        #expect(nan[0].isNaN && nan[1] == 1 / (1 + exp(-1.0)))
    }

    @Test func refusesFilesThatDoNotDescribeIt() throws {
        let file = try SafeTensors.read(contentsOf: Bundle.module.url(
            forResource: "ring2d-vectors", withExtension: "safetensors", subdirectory: "Fixtures")!.path)
        // The test-vector file has tensors but no architecture metadata.
        #expect(throws: NetworkError.missingMetadata(key: "format")) {
            try MLPScoreNetwork(safeTensors: file)
        }
        let good = MLPArchitecture(dimension: 2, width: 3, blocks: 1).metadata
        for (key, value) in [("width", "0"), ("width", "three"), ("embedding", "7"), ("residual", "yes"),
                             ("prediction", "x0"), ("time_scale", "-1"), ("max_period", "nan"), ("format", "v2")] {
            var m = good
            m[key] = value
            #expect(throws: NetworkError.self) { try MLPArchitecture(metadata: m) }
        }
        var params = Dictionary(uniqueKeysWithValues: try MLPArchitecture(metadata: good).parameterShapes.map {
            ($0.name, (shape: $0.shape, values: [Double](repeating: 0.1, count: $0.shape.reduce(1, *))))
        })
        let arch = try MLPArchitecture(metadata: good)
        _ = try MLPScoreNetwork(architecture: arch, parameters: params)
        var bad = params
        bad["input.weight"] = ([2, 3], [Double](repeating: 0, count: 6))
        #expect(throws: NetworkError.parameterShape(name: "input.weight", shape: [2, 3], expected: [3, 2])) {
            try MLPScoreNetwork(architecture: arch, parameters: bad)
        }
        bad = params
        bad["output.bias"] = ([2], [0, .nan])
        #expect(throws: NetworkError.nonFiniteParameter("output.bias")) { try MLPScoreNetwork(architecture: arch, parameters: bad) }
        bad = params
        bad["time.bias"] = nil
        #expect(throws: NetworkError.missingParameter("time.bias")) { try MLPScoreNetwork(architecture: arch, parameters: bad) }
        params["blocks.1.time.weight"] = ([3, 3], [Double](repeating: 0, count: 9))
        #expect(throws: NetworkError.unexpectedParameters(["blocks.1.time.weight"])) {
            try MLPScoreNetwork(architecture: arch, parameters: params)
        }
    }
}
