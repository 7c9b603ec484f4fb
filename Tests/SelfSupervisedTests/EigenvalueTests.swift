import XCTest
import TensorCore
@testable import SelfSupervised

/// The symmetric eigenvalues under RankMe (Householder + implicit QL), and RankMe of wide data.
final class EigenvalueTests: XCTestCase {
    func testEigenvaluesOfAKnownSpectrum() throws {
        // A = H D Hᵀ with the Householder reflection H = I − 2vvᵀ/‖v‖² has eigenvalues D.
        let n = 40
        var rng = RandomGenerator(seed: 9)
        let v = (0..<n).map { _ in Double(rng.nextNormal()) }
        let vv = v.reduce(0) { $0 + $1 * $1 }
        var spectrum: [Double] = []
        for i in 0..<n {
            let level = Double(i % 7) * 1.5 - 2
            spectrum.append(level + Double(i) / 1000)
        }
        var h = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let identity: Double = i == j ? 1 : 0
                h[i * n + j] = identity - 2 * v[i] * v[j] / vv
            }
        }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var sum = 0.0
                for k in 0..<n { sum += h[i * n + k] * spectrum[k] * h[j * n + k] }
                a[i * n + j] = sum
            }
        }
        let found = try symmetricEigenvalues(a, size: n).sorted()
        for (x, y) in zip(found, spectrum.sorted()) { XCTAssertEqual(x, y, accuracy: 1e-9) }
        XCTAssertEqual(try symmetricEigenvalues([4], size: 1), [4])
        XCTAssertEqual(try symmetricEigenvalues([0, 0, 0, 0], size: 2), [0, 0])
    }

    func testRankMeOfWideDataUsesTheSmallerGram() throws {
        // 6 rows in 50 dimensions spanning 3 directions: RankMe ≈ 3, as for the tall transpose.
        var rng = RandomGenerator(seed: 4)
        let basis = (0..<3).map { _ in (0..<50).map { _ in rng.nextNormal() } }
        var rows: [Float] = []
        for r in 0..<6 { rows += basis[r % 3] }
        let wide = Tensor(shape: [6, 50], data: rows)
        var transposed = [Float](repeating: 0, count: 300)
        for r in 0..<6 { for j in 0..<50 { transposed[j * 6 + r] = rows[r * 50 + j] } }
        XCTAssertEqual(try rankMe(wide), try rankMe(Tensor(shape: [50, 6], data: transposed)), accuracy: 1e-6)
        XCTAssertLessThan(try rankMe(wide), 3.01)
    }
}
