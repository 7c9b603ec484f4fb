import Foundation
import LabScript
import XCTest
@testable import Notebook

/// How the code runner tells that a run timed out: by the error's kind (`.timeLimit`), or
/// by a stop a builtin made on its own (`.limit`, `.cancelled`) once the limit had passed,
/// as `train` does at its deadline; never by the words of the message.
final class CodeRunTimeoutTests: XCTestCase {
    func run(_ code: String, limit: Double, builtin: NativeFunction? = nil) -> CodeRun {
        let session = ScriptSession.languageOnly(output: BufferOutputSink(), cancellation: CancellationFlag())
        if let builtin { session.interpreter.register(builtin) }
        return CodeRunner(session: session).run(code, file: "t.lab", firstLine: 1, in: session.interpreter.makeScope(),
                                                timeLimit: limit)
    }

    func testTheInterpretersTimeLimitIsATimeout() {
        let run = run("while true { }", limit: 0.2)
        XCTAssertTrue(run.timedOut)
        XCTAssertEqual(run.diagnostics.first?.message, "stopped after the time limit of 0.2 s (an endless loop?)")
    }

    func testABuiltinsOwnLimitAfterTheDeadlineIsATimeout() {
        let slow = NativeFunction(name: "slow_limit", parameters: [], summary: "stops itself after the deadline") { _, _ in
            Thread.sleep(forTimeInterval: 0.3)
            throw RuntimeError(.limit, "deadline passed: stopped before step 7")
        }
        let run = run("slow_limit()", limit: 0.2, builtin: slow)
        XCTAssertTrue(run.timedOut)
        XCTAssertEqual(run.diagnostics.first?.message, "stopped after the time limit of 0.2 s (an endless loop?)")
    }

    /// A limit error before the deadline is that error, even when its words say "time limit".
    func testALimitErrorBeforeTheDeadlineIsNotATimeout() {
        let quick = NativeFunction(name: "quick_limit", parameters: [], summary: "a limit of another kind") { _, _ in
            throw RuntimeError(.limit, "time limit of something else")
        }
        let run = run("quick_limit()", limit: 5, builtin: quick)
        XCTAssertFalse(run.timedOut)
        XCTAssertEqual(run.diagnostics.first?.message, "time limit of something else")
    }
}
