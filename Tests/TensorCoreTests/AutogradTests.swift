import XCTest
@testable import TensorCore

/// The autodiff machinery: accumulation, detach, no-grad scope, release of the graph.
final class AutogradTests: XCTestCase {
    func testBackwardThroughAChain() throws {
        // L = Σ relu(w·x); dL/dw = x where w·x > 0.
        let w = Tensor([2, -1, 3], requiresGrad: true)
        try sum(relu(w * Tensor([1, 1, -1]))).backward()
        XCTAssertEqual(w.grad?.data, [1, 0, 0])
    }

    func testGradientsAccumulateAcrossBackwardCallsUntilZeroed() throws {
        let x = Tensor([1, 2], requiresGrad: true)
        try sum(x * 3).backward()
        try sum(x * 3).backward()
        XCTAssertEqual(x.grad?.data, [6, 6])
        x.zeroGrad()
        XCTAssertNil(x.grad)
    }

    func testDetachStopsGradient() throws {
        let x = Tensor([1, 2, 3], requiresGrad: true)
        let y = try x * x.detach()     // d/dx = x (the detached factor is a constant)
        try sum(y).backward()
        XCTAssertEqual(x.grad?.data, [1, 2, 3])
        XCTAssertFalse(x.detach().requiresGrad)
    }

    func testNoGradScopeBuildsNoGraph() throws {
        let x = Tensor([1, 2], requiresGrad: true)
        let y = try withNoGrad { try x * x + 1 }
        XCTAssertFalse(y.requiresGrad)
        XCTAssertTrue(y.parents.isEmpty)
        XCTAssertTrue(isGradEnabled)
        XCTAssertThrowsError(try sum(y).backward())
        let z = x * 2
        XCTAssertTrue(z.requiresGrad && z.parents.count == 1)
    }

    func testGraphIsReleasedAfterBackward() throws {
        let x = Tensor([1, 2], requiresGrad: true)
        let h = exp(x)
        let loss = sum(h)
        try loss.backward()
        XCTAssertTrue(loss.parents.isEmpty && loss.isLeaf && h.parents.isEmpty && h.isLeaf)
        weak var weakHidden: Tensor?
        do {
            let hidden = x * 5
            weakHidden = hidden
            try sum(hidden).backward()
        }
        XCTAssertNil(weakHidden, "the intermediate should be freed once backward released the graph")
    }

    func testBackwardNeedsAScalar() {
        let x = Tensor([1, 2], requiresGrad: true)
        assertShapeError("backward", [[2]]) { try (x * 2).backward() }
    }

    func testDiamondGraph() throws {
        // y = a·b with a = 2x, b = x + 1: dy/dx = 2b + a = 4x + 2.
        let x = Tensor([1, -3], requiresGrad: true)
        let a = x * 2, b = x + 1
        try sum(try a * b).backward()
        XCTAssertEqual(x.grad?.data, [6, -10])
    }

    func testDeepGraphsAreFreedAndDifferentiatedWithoutRecursion() throws {
        let x = Tensor([1], requiresGrad: true)
        weak var weakTotal: Tensor?
        do {
            var total = x * 1
            for _ in 0..<100_000 { total = total + 1 }
            weakTotal = total
            XCTAssertEqual(total.data, [100_001])
        }
        XCTAssertNil(weakTotal)
        var total = x * 1
        for _ in 0..<100_000 { total = try total + x }
        try sum(total).backward()
        XCTAssertEqual(x.grad?.data, [100_001])
    }
}
