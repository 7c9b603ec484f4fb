import Foundation
import XCTest
import NeuralNet
@testable import SelfSupervised

/// k-means against scikit-learn 1.x, NMI against `normalized_mutual_info_score`, and
/// DeepCluster's re-seeding and balanced sampling.
final class KMeansTests: XCTestCase {
    /// X in NumPy: `i = np.arange(30); X = np.stack([np.sin(i*1.3)*3 + (i%3)*4,
    /// np.cos(i*0.7)*2 + (i%3), np.sin(i*0.37)], 1).astype(np.float32)`.
    func points() -> Tensor {
        var data: [Float] = []
        for i in 0..<30 {
            let t = Double(i)
            data += [Float(sin(t * 1.3) * 3 + Double(i % 3) * 4), Float(cos(t * 0.7) * 2 + Double(i % 3)), Float(sin(t * 0.37))]
        }
        return Tensor(shape: [30, 3], data: data)
    }

    /// Goldens: `KMeans(n_clusters=len(idx), init=X[idx], n_init=1, algorithm="lloyd",
    /// tol=0, max_iter=300).fit(X).inertia_` (and `.labels_`) for each idx below.
    func testInertiaMatchesScikitLearn() throws {
        let x = points()
        let cases: [([Int], Double, [Int])] = [
            ([0, 3, 6], 138.1216693163356,
             [0, 2, 2, 1, 1, 2, 1, 2, 2, 0, 2, 2, 1, 1, 2, 1, 2, 2, 0, 0, 2, 1, 1, 2, 1, 2, 2, 0, 0, 2]),
            ([0, 3, 6, 9], 114.4817579427481,
             [0, 2, 2, 3, 1, 2, 1, 2, 2, 3, 2, 2, 1, 1, 2, 1, 2, 2, 3, 0, 2, 1, 1, 2, 1, 2, 2, 3, 0, 2]),
            ([1, 4, 7, 10, 13], 77.56690243527902,
             [4, 3, 0, 1, 1, 0, 1, 2, 3, 4, 3, 0, 1, 1, 2, 1, 3, 3, 4, 2, 0, 1, 1, 2, 1, 3, 0, 4, 4, 3]),
            ([2, 5, 8], 138.33847488338688,
             [2, 1, 0, 2, 2, 0, 2, 1, 1, 2, 1, 0, 2, 2, 1, 2, 1, 0, 2, 2, 0, 2, 2, 1, 2, 1, 0, 2, 2, 0]),
        ]
        for (rows, inertia, labels) in cases {
            var rng = RandomGenerator(seed: 0)
            let initial = try indexSelect(x, axis: 0, indices: rows)
            let r = try kMeans(x, k: rows.count, initial: initial, rng: &rng)
            XCTAssertEqual(r.inertia, inertia, accuracy: 1e-4, "init rows \(rows)")
            XCTAssertEqual(r.labels, labels, "init rows \(rows)")
            XCTAssertTrue(r.converged)
            XCTAssertEqual(r.reseeded, 0)
        }
    }

    func testPlusPlusFindsSeparatedBlobsAndRepeatsForASeed() throws {
        var data: [Float] = []
        var noise = RandomGenerator(seed: 5)
        for c in 0..<4 { for _ in 0..<25 { data += [Float(c * 10) + 0.3 * noise.nextNormal(), Float((c % 2) * 10) + 0.3 * noise.nextNormal()] } }
        let x = Tensor(shape: [100, 2], data: data)
        var best = Double.infinity
        var first: KMeansResult?
        for seed in 0..<5 {
            var rng = RandomGenerator(seed: UInt64(seed))
            let r = try kMeans(x, k: 4, rng: &rng)
            best = min(best, r.inertia)
            if seed == 0 { first = r }
        }
        // The blobs' own inertia: about 100 points × 2 dims × 0.09.
        XCTAssertLessThan(best, 30)
        var again = RandomGenerator(seed: 0)
        let repeated = try kMeans(x, k: 4, rng: &again)
        XCTAssertEqual(repeated.labels, first?.labels)
        XCTAssertEqual(repeated.inertia, first?.inertia)
    }

    func testEmptyClusterIsReseeded() throws {
        let x = points()
        // The third centre is far from every point: its cluster starts empty.
        let initial = try indexSelect(x, axis: 0, indices: [0, 1, 2])
        initial.data[6] = 1000; initial.data[7] = 1000; initial.data[8] = 1000
        var rng = RandomGenerator(seed: 0)
        let r = try kMeans(x, k: 3, initial: initial, rng: &rng)
        XCTAssertGreaterThanOrEqual(r.reseeded, 1)
        XCTAssertTrue(r.sizes.allSatisfy { $0 > 0 }, "no cluster is left empty: \(r.sizes)")
        XCTAssertLessThan(r.inertia, 200)
    }

    func testErrors() {
        var rng = RandomGenerator(seed: 0)
        XCTAssertThrowsError(try kMeans(Tensor.zeros([0, 3]), k: 1, rng: &rng))
        XCTAssertThrowsError(try kMeans(Tensor.zeros([3, 2]), k: 4, rng: &rng)) { error in
            XCTAssertTrue("\(error)".contains("k = 4 clusters need at least 4 points"), "\(error)")
        }
        XCTAssertThrowsError(try kMeans(Tensor.zeros([3, 2]), k: 0, rng: &rng))
    }

    /// Goldens: `normalized_mutual_info_score([0,0,0,1,1,1,2,2,2,2], [0,0,1,1,1,2,2,2,0,0])`
    /// and `normalized_mutual_info_score([0,1,2,3,0,1,2,3], [5,5,6,6,5,5,6,6])`.
    func testNMIMatchesScikitLearn() throws {
        XCTAssertEqual(try normalizedMutualInformation([0, 0, 0, 1, 1, 1, 2, 2, 2, 2], [0, 0, 1, 1, 1, 2, 2, 2, 0, 0]),
                       0.3946483716358942, accuracy: 1e-12)
        XCTAssertEqual(try normalizedMutualInformation([0, 1, 2, 3, 0, 1, 2, 3], [5, 5, 6, 6, 5, 5, 6, 6]),
                       0.666666666666667, accuracy: 1e-12)
        XCTAssertEqual(try normalizedMutualInformation([0, 0, 1, 1], [7, 7, 3, 3]), 1, accuracy: 1e-12)
        XCTAssertThrowsError(try normalizedMutualInformation([0], [0, 1]))
    }

    /// Balanced sampling draws every cluster about equally often, however unequal the
    /// clusters; each epoch records the round's NMI.
    func testDeepClusterSamplesBalancedOverPseudoLabels() throws {
        var rng = RandomGenerator(seed: 1)
        let encoder = NeuralNet.Identity()
        let method = DeepCluster(encoder: encoder, features: 2, clusters: 2, balanced: true, rng: &rng)
        // 90 points near (0, 1), 10 near (1, 0): two clusters of 90 and 10.
        var data: [Float] = []
        for i in 0..<100 { data += i < 90 ? [0.01 * Float(i % 7), 1] : [1, 0.01 * Float(i % 5)] }
        let labels = (0..<100).map { $0 < 90 ? 0 : 1 }
        let order = try XCTUnwrap(method.beforeEpoch(1, inputs: { Tensor(shape: [100, 2], data: data) }, labels: labels, seed: 3))
        XCTAssertEqual(order.count, 100)
        let small = order.filter { $0 >= 90 }.count
        XCTAssertGreaterThan(small, 35, "the 10-point cluster is drawn about half the time, not a tenth")
        XCTAssertLessThan(small, 65)
        XCTAssertEqual(method.rounds.last?.nmi ?? 0, 1, accuracy: 1e-9)
        XCTAssertEqual(method.epochMetrics["largest_cluster"] ?? 0, 0.9, accuracy: 1e-9)
        method.balanced = false
        let plain = try XCTUnwrap(method.beforeEpoch(2, inputs: { Tensor(shape: [100, 2], data: data) }, labels: labels, seed: 4))
        XCTAssertEqual(plain.sorted(), Array(0..<100), "unbalanced: one pass over the data")
    }
}
