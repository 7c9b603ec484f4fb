import XCTest
import RunSupport
@testable import TensorCore

/// The profiler behind `selfsup bench --profile`: kinds charged, FLOPs counted, nesting
/// exclusive, nothing recorded when off.
final class OpProfileTests: XCTestCase {
    func testConvStepIsChargedByKindWithExactBLASFlops() throws {
        var rng = RandomGenerator(seed: 3)
        let x = Tensor.randn([2, 3, 8, 8], using: &rng)
        let w = Tensor.randn([4, 3, 3, 3], using: &rng)
        w.requiresGrad = true
        let profiler = OpProfiler()
        try profiler.recording {
            let y = try conv2d(x, w, padding: 1)
            try sum(relu(y)).backward()
        }
        let report = profiler.report
        // Forward: per image O·(C·9)·(H·W) multiply-adds; backward: the weight gradient
        // only (x needs none), the same count again.
        let perImage = 2.0 * 4 * 27 * 64
        XCTAssertEqual(report.flops[OpKind.blas.rawValue], 2 * 2 * perImage)
        XCTAssertEqual(report.calls[OpKind.blas.rawValue], 4)
        XCTAssertEqual(report.calls[OpKind.im2col.rawValue], 4)
        XCTAssertGreaterThan(report.calls[OpKind.elementwise.rawValue], 0)
        XCTAssertEqual(report.calls[OpKind.graph.rawValue], 1)
        XCTAssertEqual(report.flops.enumerated().filter { $0.offset != OpKind.blas.rawValue }.map(\.element).reduce(0, +), 0)
        XCTAssertTrue(report.seconds.allSatisfy { $0 >= 0 }, "\(report.seconds)")
        XCTAssertGreaterThanOrEqual(report.tensorsCreated, 3)
    }

    func testNestedRegionsAreExclusive() {
        let profiler = OpProfiler()
        let begin = OpProfile.monotonicSeconds()
        profiler.recording {
            OpProfile.measure(.convLinear) {
                OpProfile.measure(.im2col) { _ = usleep(20_000) }
            }
        }
        let total = OpProfile.monotonicSeconds() - begin
        let report = profiler.report
        XCTAssertGreaterThanOrEqual(report.seconds[OpKind.im2col.rawValue], 0.019)
        XCTAssertLessThan(report.seconds[OpKind.convLinear.rawValue], 0.005, "the inner region's time is not charged twice")
        XCTAssertLessThanOrEqual(report.attributedSeconds, total + 1e-6)
    }

    func testNothingIsRecordedWhenOff() throws {
        let profiler = OpProfiler()
        profiler.recording {}
        _ = try matmul(Tensor.ones([4, 4]), Tensor.ones([4, 4]))
        XCTAssertEqual(profiler.report.calls.reduce(0, +), 0, "the matmul ran while profiling was off")
        XCTAssertEqual(profiler.report.tensorsCreated, 0)
    }

    func testKernelSelectionKeepsProductsCorrect() throws {
        let name = blasCoreName()
        XCTAssertFalse(name.isEmpty)
        var rng = RandomGenerator(seed: 5)
        let a = Tensor.randn([37, 53], using: &rng), b = Tensor.randn([53, 29], using: &rng)
        let c = try matmul(a, b)
        for i in 0..<37 {
            for j in 0..<29 {
                var s: Double = 0
                for k in 0..<53 { s += Double(a.data[i * 53 + k]) * Double(b.data[k * 29 + j]) }
                XCTAssertEqual(Double(c.data[i * 29 + j]), s, accuracy: 1e-4, "kernels \(name)")
            }
        }
    }
}
