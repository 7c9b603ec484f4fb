import XCTest
import Foundation
import TensorCore
import ToyData
@testable import SelfSupervised

/// Evaluation metrics on inputs whose answer is known by construction.
final class EvaluationTests: XCTestCase {
    /// n points per class around well-separated centres in d dimensions.
    func blobs(classes: Int, perClass n: Int, dimension d: Int, spread: Float, seed: UInt64) -> (Tensor, [Int]) {
        var rng = RandomGenerator(seed: seed)
        var data: [Float] = [], labels: [Int] = []
        for c in 0..<classes {
            for _ in 0..<n {
                for j in 0..<d { data.append((j == c ? 5 : 0) + spread * rng.nextNormal()) }
                labels.append(c)
            }
        }
        return (Tensor(shape: [classes * n, d], data: data), labels)
    }

    func testCollapsedEmbeddingsHaveZeroStdAndRankOne() throws {
        let row: [Float] = [0.3, -1, 2, 0.5]
        let z = Tensor(shape: [50, 4], data: Array((0..<50).map { _ in row }.joined()))
        XCTAssertEqual(try embeddingStd(z), 0, accuracy: 1e-6)
        XCTAssertEqual(try rankMe(z), 1, accuracy: 1e-4)
        XCTAssertEqual(try uniformity(z), 0, accuracy: 1e-6)
    }

    func testIsotropicEmbeddingsHaveUniformStdAndFullRank() throws {
        var rng = RandomGenerator(seed: 1)
        let d = 16
        let z = Tensor.randn([4000, d], using: &rng)
        XCTAssertEqual(try embeddingStd(z), 1 / Double(d).squareRoot(), accuracy: 0.01 / Double(d).squareRoot())
        let rank = try rankMe(z)
        XCTAssertGreaterThan(rank, 15.5)
        XCTAssertLessThanOrEqual(rank, 16.0001)
        // Uniform on the sphere in 16-D: E‖x − y‖² = 2, so uniformity ≈ log E exp(−2‖x − y‖²) < −3.
        XCTAssertLessThan(try uniformity(Tensor.randn([300, d], using: &rng)), -3)
    }

    func testRankMeCountsDirections() throws {
        // Three orthogonal directions with equal energy: rank 3.
        var data = [Float](repeating: 0, count: 6 * 5)
        for r in 0..<6 { data[r * 5 + r % 3] = r < 3 ? 2 : -2 }
        XCTAssertEqual(try rankMe(Tensor(shape: [6, 5], data: data)), 3, accuracy: 1e-4)
        // Jacobi eigenvalues of a known symmetric matrix.
        let eig = try symmetricEigenvalues([2, 1, 0, 1, 2, 0, 0, 0, 5], size: 3).sorted()
        XCTAssertEqual(eig[0], 1, accuracy: 1e-12); XCTAssertEqual(eig[1], 3, accuracy: 1e-12); XCTAssertEqual(eig[2], 5, accuracy: 1e-12)
    }

    func testAlignmentOfIdenticalAndOppositeViews() throws {
        var rng = RandomGenerator(seed: 2)
        let z = Tensor.randn([20, 8], using: &rng)
        XCTAssertEqual(try alignment(z, z), 0, accuracy: 1e-10)
        XCTAssertEqual(try alignment(z, -z), 4, accuracy: 1e-5)   // ‖x − (−x)‖² = 4 on the sphere
    }

    func testLinearProbeSeparatesSeparableData() throws {
        let (x, y) = blobs(classes: 4, perClass: 30, dimension: 6, spread: 0.5, seed: 3)
        let (xt, yt) = blobs(classes: 4, perClass: 20, dimension: 6, spread: 0.5, seed: 4)
        let result = try linearProbe(trainFeatures: x, trainLabels: y, testFeatures: xt, testLabels: yt)
        XCTAssertEqual(result.trainAccuracy, 1)
        XCTAssertEqual(result.testAccuracy, 1)
        let again = try linearProbe(trainFeatures: x, trainLabels: y, testFeatures: xt, testLabels: yt)
        XCTAssertEqual(result, again, "deterministic")
        // Random labels cannot be predicted on fresh data.
        let noise = blobs(classes: 1, perClass: 200, dimension: 6, spread: 1, seed: 5).0
        var rng = RandomGenerator(seed: 6)
        let labels = (0..<200).map { _ in rng.nextInt(below: 4) }
        let chance = try linearProbe(trainFeatures: try slice(noise, axis: 0, SliceRange(0, 100)), trainLabels: Array(labels[..<100]),
                                     testFeatures: try slice(noise, axis: 0, SliceRange(100, 200)), testLabels: Array(labels[100...]))
        XCTAssertLessThan(chance.testAccuracy, 0.45)
    }

    func testKNNOnSeparableData() throws {
        let (x, y) = blobs(classes: 3, perClass: 30, dimension: 5, spread: 0.5, seed: 7)
        let (xt, yt) = blobs(classes: 3, perClass: 10, dimension: 5, spread: 0.5, seed: 8)
        XCTAssertEqual(try knnAccuracy(trainFeatures: x, trainLabels: y, testFeatures: xt, testLabels: yt), 1)
        XCTAssertThrowsError(try knnAccuracy(trainFeatures: x, trainLabels: y, testFeatures: xt, testLabels: yt, k: 0))
    }

    func testLocalisationProbeRecoversLinearBoxes() throws {
        var rng = RandomGenerator(seed: 9)
        func sample(_ n: Int) -> (Tensor, [BoundingBox]) {
            var features: [Float] = [], boxes: [BoundingBox] = []
            for _ in 0..<n {
                let cx = rng.nextFloat(in: 5, 25), cy = rng.nextFloat(in: 5, 25), s = rng.nextFloat(in: 3, 8)
                features += [cx, cy, s, rng.nextNormal()]
                boxes.append(BoundingBox(minX: cx - s / 2, minY: cy - s / 2, maxX: cx + s / 2, maxY: cy + s / 2))
            }
            return (Tensor(shape: [n, 4], data: features), boxes)
        }
        let (x, b) = sample(200), (xt, bt) = sample(100)
        let r = try localisationProbe(trainFeatures: x, trainBoxes: b, testFeatures: xt, testBoxes: bt, ridge: 1e-6)
        XCTAssertGreaterThan(r.centreR2, 0.999)
        XCTAssertGreaterThan(r.boxR2, 0.999)
        XCTAssertGreaterThan(r.meanIoU, 0.99)
    }

    func testCrossCorrelationOfIdenticalViewsHasUnitDiagonal() throws {
        var rng = RandomGenerator(seed: 10)
        let z = Tensor.randn([64, 5], using: &rng)
        let c = try crossCorrelation(z, z)
        for i in 0..<5 { XCTAssertEqual(c.data[i * 5 + i], 1, accuracy: 1e-3) }
    }

    /// knnPredict's one-pass top-k against the definition: sort each row's similarities
    /// (most similar first, ties by train index) and weigh the first k. Features on a coarse
    /// grid make ties common; k below, at and above the train set's size.
    func testKNNTopKMatchesAFullSort() throws {
        var rng = RandomGenerator(seed: 12)
        func grid(_ rows: Int) -> Tensor {
            Tensor(shape: [rows, 3], data: (0..<(rows * 3)).map { _ in Float(Int(rng.nextFloat() * 3)) - 1 })
        }
        let (train, test) = (grid(40), grid(25))
        let labels = (0..<40).map { _ in Int(rng.nextFloat() * 4) }
        let similarity = try matmul(normalize(test, axis: 1), normalize(train, axis: 1), transposeB: true).data
        for k in [1, 3, 20, 40, 60] {
            var expected: [Int] = []
            for i in 0..<25 {
                let row = Array(similarity[(i * 40)..<((i + 1) * 40)])
                let order = (0..<40).sorted { row[$0] != row[$1] ? row[$0] > row[$1] : $0 < $1 }.prefix(k)
                var scores = [Double](repeating: 0, count: 4)
                for j in order { scores[labels[j]] += exp(Double(row[j] / 0.1)) }
                expected.append(scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }!)
            }
            XCTAssertEqual(try knnPredict(trainFeatures: train, trainLabels: labels, testFeatures: test, k: k), expected, "k \(k)")
        }
    }
}
