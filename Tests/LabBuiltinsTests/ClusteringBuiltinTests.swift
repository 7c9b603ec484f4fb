import Foundation
import XCTest
import LabScript
@testable import LabBuiltins

/// `kmeans`, `nmi`, `whiten` and `train(method: "deepcluster")` from scripts: results,
/// and errors located at the offending argument.
final class ClusteringBuiltinTests: XCTestCase {
    func run(_ source: String) -> (String, String?) { runScript(source) }

    func testKMeansErrorsAreLocated() {
        let (_, tooMany) = run("z = randn(3, 2)\nkm = kmeans(z, 5, seed: 0)")
        XCTAssertTrue(tooMany?.contains("t:2:") ?? false, tooMany ?? "no error for k > n")
        XCTAssertTrue(tooMany?.contains("k = 5 clusters need at least 5 points, z has 3") ?? false, tooMany ?? "")
        let (_, empty) = run("km = kmeans(zeros(0, 2), 1)")
        XCTAssertTrue(empty?.contains("no points to cluster") ?? false, empty ?? "no error for empty input")
        let (_, badInit) = run("km = kmeans(randn(6, 2), 2, init: randn(3, 2))")
        XCTAssertTrue(badInit?.contains("init must be [2, 2]") ?? false, badInit ?? "no error for a bad init")
        let (_, nanInit) = run("z = randn(6, 2)\nkm = kmeans(z, 2, init: tensor([[0, 0], [inf, 1]]) * 0)")
        XCTAssertTrue(nanInit?.contains("t:2:") ?? false, nanInit ?? "no error for a NaN init")
        XCTAssertTrue(nanInit?.contains("init contains NaN or ±∞") ?? false, nanInit ?? "")
        let (_, whitenSmall) = run("w = whiten(randn(4, 4))")
        XCTAssertTrue(whitenSmall?.contains("more examples than dimensions") ?? false, whitenSmall ?? "no error for n ≤ d")
        let (_, nmiLengths) = run("print(nmi([0, 1], [0, 1, 1]))")
        XCTAssertTrue(nmiLengths?.contains("same points") ?? false, nmiLengths ?? "no error for unequal labelings")
    }

    func testKMeansRecordAndSeed() {
        let (out, error) = run("""
            z = tensor([[0, 0], [0, 1], [10, 10], [10, 11], [20, 0], [21, 0]])
            a = kmeans(z, 3, seed: 4)
            b = kmeans(z, 3, seed: 4)
            print(a.inertia, a.sizes, a.converged, nmi(a.labels, b.labels), a.centres.shape)
            """)
        XCTAssertNil(error)
        XCTAssertEqual(out, "1.5 [2, 2, 2] true 1 [3, 2]\n")
    }

    func testDeepClusterRunCarriesItsRoundMetrics() {
        let (out, error) = run("""
            d = blobs(count: 60, classes: 3, seed: 1)
            enc = mlp([2, 16, 8])
            run = train(enc, d, method: "deepcluster", epochs: 3, batch_size: 20, clusters: 3, seed: 0)
            h = run.history
            print(len(h), h[0].nmi >= 0 and h[0].nmi <= 1, h[2].largest_cluster > 0, h[1].reseeded >= 0, run.method)
            """)
        XCTAssertNil(error)
        XCTAssertEqual(out, "3 true true true DeepCluster\n")
        let (_, tooMany) = run("run = train(mlp([2, 4]), blobs(count: 8), method: \"deepcluster\", clusters: 20, epochs: 1, batch_size: 4)")
        XCTAssertTrue(tooMany?.contains("clusters need at least") ?? false, tooMany ?? "no error for more clusters than examples")
    }
}
