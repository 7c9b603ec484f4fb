import XCTest
@testable import ToyData

final class PointsAndTokensTests: XCTestCase {
    func testBlobsClusterAroundTheirCentres() throws {
        let d = try blobs(count: 600, classes: 3, std: 0.5, seed: 4)
        XCTAssertEqual(d.inputs.shape, [600, 2])
        XCTAssertEqual(d.classCounts, [200, 200, 200])
        for c in 0..<3 {
            let rows = d.labels.indices.filter { d.labels[$0] == c }
            let mx = rows.map { d.inputs.data[2 * $0] }.reduce(0, +) / 200
            let my = rows.map { d.inputs.data[2 * $0 + 1] }.reduce(0, +) / 200
            XCTAssertEqual(mx, d.attributes["center_x"]![rows[0]], accuracy: 0.15)
            XCTAssertEqual(my, d.attributes["center_y"]![rows[0]], accuracy: 0.15)
        }
        XCTAssertEqual(try blobs(seed: 1).inputs.data, try blobs(seed: 1).inputs.data)
        XCTAssertThrowsError(try blobs(classes: 0))
    }

    func testMoonsGeometry() throws {
        let d = try moons(count: 301, noise: 0, seed: 2)
        XCTAssertEqual(d.inputs.shape, [301, 2])
        XCTAssertEqual(d.classCounts, [151, 150])
        for i in 0..<d.count {
            let x = d.inputs.data[2 * i], y = d.inputs.data[2 * i + 1]
            // Noise-free points lie on their unit half circles.
            let (cx, cy): (Float, Float) = d.labels[i] == 0 ? (0, 0) : (1, 0.5)
            XCTAssertEqual((x - cx) * (x - cx) + (y - cy) * (y - cy), 1, accuracy: 1e-4)
            if d.labels[i] == 0 { XCTAssertGreaterThanOrEqual(y, -1e-6) } else { XCTAssertLessThanOrEqual(y, 0.5 + 1e-6) }
        }
        let noisy = try moons(count: 100, noise: 0.1, seed: 2)
        XCTAssertNotEqual(noisy.inputs.data, try moons(count: 100, noise: 0.1, seed: 3).inputs.data)
    }

    func testTokensFollowTheChainAndBayesAccuracyIsAchievable() throws {
        let t = try tokens(count: 3000, length: 12, seed: 1)
        XCTAssertEqual(t.vocabulary.count, 20)
        XCTAssertEqual(t.maskToken, 20)
        XCTAssertEqual(t.inputs.shape, [3000, 12])
        for s in t.sequences {
            for (a, b) in zip(s, s.dropFirst()) { XCTAssertGreaterThan(t.transition[a][b], 0) }
        }
        XCTAssertEqual(t.stationary.reduce(0, +), 1, accuracy: 1e-9)
        XCTAssertGreaterThan(t.bayesOptimalAccuracy, t.bigramAccuracy + 0.1, "context on both sides helps")
        XCTAssertLessThan(t.bayesOptimalAccuracy, 1)
        // The Bayes rule, run on masked samples, scores its stated accuracy (±0.02).
        let (_, positions, targets) = t.maskOnePosition(seed: 9)
        var correct = 0
        for (i, s) in t.sequences.enumerated() {
            let p = positions[i]
            let score = (0..<20).map { b -> Double in
                let left = p > 0 ? t.transition[s[p - 1]][b] : t.stationary[b]
                let right = p + 1 < s.count ? t.transition[b][s[p + 1]] : 1
                return left * right
            }
            if score.indices.max(by: { score[$0] < score[$1] }) == targets[i] { correct += 1 }
        }
        XCTAssertEqual(Double(correct) / 3000, t.bayesOptimalAccuracy, accuracy: 0.02)
        XCTAssertThrowsError(try tokens(length: 1))
    }
}
