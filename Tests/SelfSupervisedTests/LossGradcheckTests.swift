import XCTest
@testable import SelfSupervised

/// Finite-difference checks of every loss's gradient (independent of the goldens).
final class LossGradcheckTests: XCTestCase {
    func pair(_ seed: UInt64, _ n: Int = 6, _ d: Int = 4) -> [Tensor] {
        var rng = RandomGenerator(seed: seed)
        return [Tensor.randn([n, d], using: &rng), Tensor.randn([n, d], using: &rng)]
    }

    func check(_ name: String, _ f: ([Tensor]) throws -> Tensor, _ inputs: [Tensor], file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try gradcheck(f, inputs, eps: 1e-2, rtol: 2e-2, atol: 2e-3)
        XCTAssertTrue(result.passed, "\(name): \(result)", file: file, line: line)
    }

    func testContrastiveLosses() throws {
        try check("ntXent", { try ntXent($0[0], $0[1]) }, pair(1))
        try check("dcl", { try dcl($0[0], $0[1], temperature: 0.5) }, pair(2))
        // DCLW is left out: its weights are constants by design (no gradient through them,
        // as in lightly), so finite differences, which do see them move, disagree; its
        // gradient is checked against lightly in LossGoldenTests.
        var rng = RandomGenerator(seed: 4)
        let queue = KeyQueue(capacity: 7, dimension: 4, rng: &rng).keys
        try check("infoNCE", { try infoNCE(query: $0[0], key: $0[1], queue: queue, temperature: 0.5) }, pair(4))
    }

    func testRedundancyAndVarianceLosses() throws {
        try check("barlowTwins", { try barlowTwins($0[0], $0[1], lambda: 0.1) }, pair(5))
        try check("vicreg", { try vicreg($0[0], $0[1], lambda: 1, mu: 1, nu: 1) }, pair(6))
        try check("wmse", { try wmse($0[0], $0[1]) }, pair(7, 10, 3))
    }

    func testSiameseLosses() throws {
        try check("negativeCosine", { try negativeCosine($0[0], $0[1]) }, pair(8))
        try check("negativeCosine symmetric, no stop-gradient", { x in
            try negativeCosine(p1: x[0], z2: x[1], p2: x[1] * 0.5, z1: x[0] + 1, stopGradient: false)
        }, pair(9))
        try check("positiveOnly cosine", { try positiveOnly($0[0], $0[1]) }, pair(10))
        try check("positiveOnly squared", { try positiveOnly($0[0], $0[1], distance: .squared) }, pair(11))
    }

    func testKeyQueueIsFirstInFirstOut() throws {
        var queue = KeyQueue(keys: Tensor([[1, 0], [0, 1], [1, 1]]))
        try queue.enqueue(Tensor([[3, 4]]))
        XCTAssertEqual(queue.keys.data, [0.6, 0.8, 0, 1, 1, 1])
        try queue.enqueue(Tensor([[0, 2], [5, 0]]))
        XCTAssertEqual(queue.keys.data, [0.6, 0.8, 0, 1, 1, 0])
        XCTAssertThrowsError(try queue.enqueue(Tensor([[1, 2, 3]])))
    }

    func testLossesRejectBadShapes() {
        let a = Tensor.zeros([4, 3]), b = Tensor.zeros([4, 2])
        XCTAssertThrowsError(try ntXent(a, b))
        XCTAssertThrowsError(try barlowTwins(a, b))
        XCTAssertThrowsError(try vicreg(a, b))
        XCTAssertThrowsError(try ntXent(a, a, temperature: 0))
        XCTAssertThrowsError(try wmse(a, a))   // a constant batch has a singular covariance
        XCTAssertThrowsError(try wmse(Tensor.zeros([3, 4]), Tensor.zeros([3, 4])))   // N ≤ D
    }
}
