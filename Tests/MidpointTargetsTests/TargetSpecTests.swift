import Foundation
import MidpointTargets
import Testing

@Suite struct TargetSpecTests {
    func parse(_ json: String) throws -> any ExactTarget { try TargetSpec.parse(Data(json.utf8)) }

    @Test func parsesEveryKind() throws {
        let g = try parse(#"{"kind": "gaussian", "mean": [0, 1], "covariance": {"full": [[1, 0.5], [0.5, 2]]}}"#)
        #expect(g.dimension == 2 && g.mean(tau: 0) == [0, 1] && g.covariance(tau: 0)[1, 0] == 0.5)
        let m = try parse("""
            {"kind": "mixture", "description": "two blobs", "components": [
              {"weight": 0.3, "mean": [-2, 0], "covariance": {"isotropic": 0.25}},
              {"weight": 0.7, "mean": [2, 0], "covariance": {"diagonal": [0.5, 0.1]}}]}
            """)
        #expect(m.summary == "two blobs" && abs(m.mean(tau: 0)[0] - 0.8) < 1e-15)
        let p = try parse("""
            {"kind": "product", "dimension": 1024, "components": [
              {"weight": 0.5, "mean": -2, "variance": 0.25}, {"weight": 0.5, "mean": 2, "variance": 0.25}]}
            """)
        #expect(p.dimension == 1024)
    }

    @Test func errorsNameTheField() {
        let cases: [(String, TargetError)] = [
            (#"{"mean": [0]}"#, .missingField(path: "kind", expected: "one of \"gaussian\", \"mixture\", \"product\"")),
            (#"{"kind": "gauss", "mean": [0]}"#, .invalidField(path: "kind", reason: "must be one of \"gaussian\", \"mixture\", \"product\"; got gauss")),
            (#"{"kind": "gaussian", "mean": [0, "a"], "covariance": {"isotropic": 1}}"#, .invalidField(path: "mean[1]", reason: "must be a number, got a")),
            (#"{"kind": "gaussian", "mean": [0, true], "covariance": {"isotropic": 1}}"#, .invalidField(path: "mean[1]", reason: "must be a number, got 1")),
            (#"{"kind": "gaussian", "mean": [], "covariance": {"isotropic": 1}}"#, .invalidField(path: "mean", reason: "must have at least one entry")),
            (#"{"kind": "gaussian", "mean": [0, 0], "covariance": {"diagonal": [1, -1]}}"#,
             .invalidField(path: "components[0].covariance.diagonal[1]", reason: "must be finite and in [1e-50, 1e50], got -1.0")),
            (#"{"kind": "gaussian", "mean": [0, 0], "covariance": {"full": [[1, 2], [2, 1]]}}"#,
             .invalidField(path: "components[0].covariance.full", reason: "must be positive definite with eigenvalues ≥ 1e-50 (smallest is -1.0)")),
            (#"{"kind": "gaussian", "mean": [0, 0], "covariance": {"full": [[1, 0]]}}"#,
             .invalidField(path: "covariance.full", reason: "has 1 rows; expected 2")),
            (#"{"kind": "gaussian", "mean": [0, 0], "covariance": {"cholesky": 1}}"#,
             .invalidField(path: "covariance.cholesky", reason: "unknown covariance kind; expected an object with exactly one of \"isotropic\" (number), \"diagonal\" (array), \"full\" (array of rows)")),
            (#"{"kind": "mixture", "components": [{"mean": [0], "covariance": {"isotropic": 1}}, {"weight": 0, "mean": [0], "covariance": {"isotropic": 1}}]}"#,
             .invalidField(path: "components[1].weight", reason: "must be finite and > 0, got 0.0")),
            (#"{"kind": "mixture", "components": [{"mean": [0], "covariance": {"isotropic": 1}}, {"mean": [0, 1], "covariance": {"isotropic": 1}}]}"#,
             .invalidField(path: "components[1].mean", reason: "has 2 entries; the target's dimension is 1")),
            (#"{"kind": "mixture", "components": []}"#, .invalidField(path: "components", reason: "must contain at least one component")),
            (#"{"kind": "product", "dimension": 2.5, "components": [{"mean": 0, "variance": 1}]}"#,
             .invalidField(path: "dimension", reason: "must be an integer in 1...1000000, got 2.5")),
            (#"{"kind": "product", "dimension": 3, "components": [{"mean": 0}]}"#,
             .missingField(path: "components[0].variance", expected: "a number")),
            (#"[1, 2]"#, .invalidField(path: "$", reason: "the top level must be a JSON object")),
        ]
        for (json, expected) in cases {
            #expect(throws: expected, "\(json)") { try parse(json) }
        }
        #expect(throws: TargetError.self) { try parse("{\"kind\": ") }
    }

    @Test func resolvesBuiltinsFilesAndUnknownNames() throws {
        #expect(try TargetSpec.resolve("ring2d").dimension == 2)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("target-\(UUID()).json").path
        try Data(#"{"kind": "gaussian", "mean": [1, 2, 3], "covariance": {"isotropic": 2}}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try TargetSpec.resolve(path).dimension == 3)
        #expect(throws: TargetError.unknownTarget("ring3d", available: ["ring2d", "mixture64", "product1024", "gauss256"])) {
            try TargetSpec.resolve("ring3d")
        }
    }
}

@Suite struct TargetSpecStrictnessTests {
    /// Unknown keys and fields of the wrong type are refused with their JSON path, never ignored.
    @Test(arguments: [
        (#"{"kind": "gaussian", "mean": [0], "covariance": {"isotropic": 1}, "covarience": 2}"#, "covarience"),
        (#"{"kind": "mixture", "components": [{"weight": 1, "mean": [0], "covariance": {"isotropic": 1}, "wieght": 2}]}"#, "components[0].wieght"),
        (#"{"kind": "product", "dimension": 4, "components": [{"mean": 0, "variance": 1, "sd": 1}]}"#, "components[0].sd"),
        (#"{"kind": "gaussian", "mean": [0], "covariance": {"isotropic": 1}, "description": 3}"#, "description"),
    ])
    func refusesUnknownAndMistypedFields(json: String, path: String) {
        do {
            _ = try TargetSpec.parse(Data(json.utf8))
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.description.contains(path), "\(error.description)")
        }
    }

    /// Weights whose sum overflows are normalized by the largest first: two weights of 1e308 are equal.
    @Test func hugeWeightsNormalizeSafely() throws {
        let json = #"{"kind": "mixture", "components": [{"weight": 1e308, "mean": [-1], "covariance": {"isotropic": 1}}, {"weight": 1e308, "mean": [1], "covariance": {"isotropic": 1}}]}"#
        let target = try TargetSpec.parse(Data(json.utf8)) as! GaussianMixtureTarget
        #expect(target.components.map(\.weight) == [0.5, 0.5])
        let product = try ScalarMixture(weights: [1e308, 1e308], means: [0, 1], variances: [1, 1])
        #expect(product.weights == [0.5, 0.5])
    }
}
