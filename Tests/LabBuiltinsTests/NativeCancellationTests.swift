import Foundation
import XCTest
import LabScript
@testable import LabBuiltins

/// Long native work inside one builtin call (an eigen-decomposition, a large matrix
/// product) stops when the run is cancelled, as a time limit or Ctrl-C does, instead of
/// running to its end. Each op here takes many seconds uncancelled; the check is that it
/// ends in "interrupted" (an op that ignored the flag would finish and succeed).
final class NativeCancellationTests: XCTestCase {
    func runCancelled(_ setup: String, _ call: String) -> RunResult {
        let session = BuiltinContext(output: BufferOutputSink())
        if case .failure(let diagnostics) = session.run(setup, name: "setup.lab") {
            XCTFail(diagnostics[0].message)
        }
        let flag = session.interpreter.cancellation
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { flag.cancel() }
        return session.run(call, name: "long.lab")
    }

    func testRankMeStopsWhenCancelled() {
        let result = runCancelled("z = randn(900, 900)\n", "r = rankme(z)\n")
        guard case .failure(let diagnostics) = result else { return XCTFail("rankme ran to its end") }
        XCTAssertEqual(diagnostics[0].kind, .runtime(.cancelled), diagnostics[0].message)
        XCTAssertEqual(diagnostics[0].line, 1)
    }

    func testALargeMatrixProductStopsWhenCancelled() {
        let result = runCancelled("a = randn(4000, 4000)\n", "b = a @ a\nc = b @ b\nd = c @ c\n")
        guard case .failure(let diagnostics) = result else { return XCTFail("the products ran to their end") }
        XCTAssertEqual(diagnostics[0].kind, .runtime(.cancelled), diagnostics[0].message)
    }
}
