import Foundation
import XCTest
import RunSupport
@testable import TensorCore

/// The one per-run context: the element limit, the cancellation question, grad mode and
/// the profiler are bound together, nest, keep what a binding does not change, are undone
/// when the closure returns or throws, and are not seen by other threads.
final class RunContextTests: XCTestCase {
    struct Stop: Error {}
    /// What the other thread saw, handed back once it is done.
    final class Seen: @unchecked Sendable {
        var limit = 0, grad = false, cancelled = true
    }

    func testBindingsNestAndKeepWhatTheyDoNotChange() throws {
        XCTAssertEqual(ElementLimit.maxElements, Int.max)
        XCTAssertTrue(isGradEnabled)
        XCTAssertFalse(OperationCancellation.requested)
        try RunContext.with(maxElements: 10, isCancelled: { true }) {
            XCTAssertEqual(ElementLimit.maxElements, 10)
            XCTAssertTrue(OperationCancellation.requested)
            XCTAssertThrowsError(try ElementLimit.check([4, 4], op: "test"))
            withNoGrad {
                XCTAssertFalse(isGradEnabled)
                XCTAssertEqual(ElementLimit.maxElements, 10, "withNoGrad keeps the run's limit")
                XCTAssertTrue(OperationCancellation.requested, "withNoGrad keeps the run's cancellation")
                withNoGrad { XCTAssertFalse(isGradEnabled) }
                XCTAssertFalse(isGradEnabled, "a nested withNoGrad leaves grad mode off")
                RunContext.with(maxElements: 20, isCancelled: nil) {
                    XCTAssertFalse(isGradEnabled, "a run's bounds keep grad mode")
                    XCTAssertEqual(ElementLimit.maxElements, 20)
                    XCTAssertFalse(OperationCancellation.requested)
                    let y = Tensor([1, 2], requiresGrad: true) * 2
                    XCTAssertFalse(y.requiresGrad, "a graph was recorded inside withNoGrad")
                }
                XCTAssertEqual(ElementLimit.maxElements, 10)
            }
            XCTAssertTrue(isGradEnabled)
        }
        XCTAssertEqual(ElementLimit.maxElements, Int.max)
        XCTAssertFalse(OperationCancellation.requested)
    }

    func testABindingIsUndoneWhenItsBodyThrows() {
        XCTAssertThrowsError(try RunContext.with(maxElements: 5, isCancelled: { true }) {
            try withNoGrad { throw Stop() }
        })
        XCTAssertEqual(ElementLimit.maxElements, Int.max)
        XCTAssertFalse(OperationCancellation.requested)
        XCTAssertTrue(isGradEnabled)
    }

    func testAnotherThreadSeesNoneOfThisRun() {
        let profiler = OpProfiler()
        let seen = Seen()
        RunContext.with(maxElements: 10, isCancelled: { true }) {
            withNoGrad {
                profiler.recording {
                    let done = DispatchSemaphore(value: 0)
                    let thread = Thread {
                        _ = try? matmul(Tensor.ones([2, 2]), Tensor.ones([2, 2]))
                        seen.limit = ElementLimit.maxElements
                        seen.grad = isGradEnabled
                        seen.cancelled = OperationCancellation.requested
                        done.signal()
                    }
                    thread.start()
                    done.wait()
                }
            }
        }
        XCTAssertEqual(seen.limit, Int.max)
        XCTAssertTrue(seen.grad)
        XCTAssertFalse(seen.cancelled)
        XCTAssertEqual(profiler.report.calls.reduce(0, +), 0, "the other thread's matmul was recorded")
        XCTAssertEqual(profiler.report.tensorsCreated, 0)
    }
}
