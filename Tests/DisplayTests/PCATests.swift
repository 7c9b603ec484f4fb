import XCTest
import TensorCore
@testable import Display

final class PCATests: XCTestCase {
    /// 40 points in 4-D; the same formula is in the NumPy line below.
    private let points: [[Double]] = (0..<40).map { i in
        let t = Double(i)
        return [sin(0.7 * t) * 3 + cos(1.3 * t), cos(0.4 * t) * 2 - sin(0.9 * t) * 0.5,
                sin(0.17 * t) + 0.3 * cos(2.1 * t), 0.5 * sin(0.7 * t) - cos(0.4 * t)]
    }

    // X = np.array([[np.sin(0.7*i)*3+np.cos(1.3*i), np.cos(0.4*i)*2-np.sin(0.9*i)*0.5, np.sin(0.17*i)+0.3*np.cos(2.1*i), 0.5*np.sin(0.7*i)-np.cos(0.4*i)] for i in range(40)])
    // Xc = X - X.mean(0); w, V = np.linalg.eigh(Xc.T @ Xc / 39); o = np.argsort(w)[::-1]; w, V = w[o], V[:, o]
    // V = V * np.sign(V[np.argmax(abs(V), axis=0), range(4)]); P = Xc @ V[:, :2]
    func testMatchesNumpyEigh() throws {
        let result = try pca(points, k: 2)
        let variance = [5.210020854353182, 2.6768598094985947]             // w[:2]
        let ratio = [0.6178650327694556, 0.31745325405620134]               // w[:2] / w.sum()
        let components = [[0.9822760579494098, -0.06530494448091922, 0.01813652540316355, 0.17475719341993448],
                          [0.13450038900653527, 0.8980800544101453, -0.06565450892567412, -0.41358354257089464]]  // V[:, :2].T
        let projected: [Int: [Double]] = [0: [0.45880373457117, 2.3130557617019765],                       // P[[0, 1, 17, 39]]
                                          1: [1.7385385500488644, 1.833610032578158],
                                          17: [-3.325840124267058, 1.4680397164718755],
                                          39: [3.4759420972224304, -1.733346224028947]]
        for i in 0..<2 {
            XCTAssertEqual(result.explainedVariance[i], variance[i], accuracy: 1e-10)
            XCTAssertEqual(result.explainedVarianceRatio[i], ratio[i], accuracy: 1e-10)
            for j in 0..<4 { XCTAssertEqual(result.components[i][j], components[i][j], accuracy: 1e-9) }
        }
        for (row, expected) in projected {
            XCTAssertEqual(result.projected[row][0], expected[0], accuracy: 1e-9)
            XCTAssertEqual(result.projected[row][1], expected[1], accuracy: 1e-9)
        }
        XCTAssertEqual(result.projected.count, 40)
    }

    func testSignConventionIsDeterministic() throws {
        let flipped = points.map { $0.map { -$0 } }
        let a = try pca(points, k: 3), b = try pca(flipped, k: 3)
        for c in a.components + b.components {
            let largest = c.max { abs($0) < abs($1) }!
            XCTAssertGreaterThan(largest, 0, "the largest-magnitude entry is positive")
        }
        // Negating the data negates the projections, the components stay put.
        XCTAssertEqual(a.components, b.components)
        XCTAssertEqual(a.projected[5][0], -b.projected[5][0], accuracy: 1e-12)
    }

    func testJacobiDiagonalisesASymmetricMatrix() throws {
        // np.linalg.eigvalsh([[4, 1, 2], [1, 3, 0], [2, 0, 5]])[::-1] -> [6.66907909, 3.4760236, 1.85489731]
        let a: [Double] = [4, 1, 2, 1, 3, 0, 2, 0, 5]
        let e = try SymmetricEigen(a, n: 3)
        for (lambda, v) in zip(e.values, e.vectors) {
            for i in 0..<3 {
                let av = (0..<3).reduce(0.0) { $0 + a[i * 3 + $1] * v[$1] }
                XCTAssertEqual(av, lambda * v[i], accuracy: 1e-12)
            }
        }
        XCTAssertEqual(e.values.reduce(0, +), 12, accuracy: 1e-12)  // trace
        XCTAssertEqual(e.values[0], 6.66907909, accuracy: 1e-8)
        XCTAssertEqual(e.values[1], 3.4760236, accuracy: 1e-7)
        XCTAssertEqual(e.values[2], 1.85489731, accuracy: 1e-8)
    }

    func testTensorInputAndErrors() throws {
        let t = Tensor(shape: [3, 2], data: [0, 0, 1, 1, 2, 2])
        let r = try t.pca(k: 1)
        XCTAssertEqual(r.explainedVarianceRatio[0], 1, accuracy: 1e-12)
        XCTAssertEqual(r.components[0][0], 1 / 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertThrowsError(try Tensor(shape: [6], data: [0, 0, 1, 1, 2, 2]).pca(k: 1))
        XCTAssertThrowsError(try pca([[1, 2]], k: 1))
        XCTAssertThrowsError(try pca([[1, 2], [3]], k: 1))
        XCTAssertThrowsError(try pca([[1, 2], [3, 4]], k: 3))
        XCTAssertThrowsError(try pca([[1, .nan], [3, 4]], k: 1))
    }
}
