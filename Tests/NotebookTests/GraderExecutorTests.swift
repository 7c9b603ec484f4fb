import Dispatch
import Foundation
import LabScript
import XCTest
@testable import Notebook

/// The interpreter-backed CellExecutor, alone and under the LessonRunner.
final class GraderExecutorTests: XCTestCase {
    func makeExecutor(timeLimit: Double? = nil) -> InterpreterCellExecutor {
        InterpreterCellExecutor(session: ScriptSession.standard(output: BufferOutputSink(), cancellation: CancellationFlag()),
                                timeLimit: timeLimit)
    }

    func testCellsShareVariablesAndPrintedTextIsCaptured() {
        let executor = makeExecutor()
        XCTAssertEqual(executor.execute(code: "x = 2", file: "l.lab", firstLine: 3), CellResult())
        let result = executor.execute(code: "print(\"x is\", x * 21)\nprint(sum(ones(3)).item())", file: "l.lab", firstLine: 7)
        XCTAssertNil(result.failure)
        XCTAssertEqual(result.outputs, [.text("x is 42\n"), .text("3\n")])
    }

    func testDiagnosticsPointAtTheLineInTheFile() {
        let executor = makeExecutor()
        let code = "a = 1\nb = a + undefined_thing\n"
        let result = executor.execute(code: code, file: "lesson.lab", firstLine: 40)
        XCTAssertEqual(result.failure?.line, 41)
        XCTAssertEqual(result.failure?.message, "undefined name 'undefined_thing'")
        guard case .error(let rendered)? = result.outputs.last else { return XCTFail("no error output") }
        XCTAssertEqual(rendered, """
            lesson.lab:41:9: error: undefined name 'undefined_thing'
                b = a + undefined_thing
                        ^~~~~~~~~~~~~~~
            """)
        // Syntax errors too.
        let syntax = executor.execute(code: "\n\ny = (1 +", file: "lesson.lab", firstLine: 10)
        XCTAssertEqual(syntax.failure?.line, 12)
    }

    func testTodoSaysWhatIsNotDone() {
        let result = makeExecutor().execute(code: "fn f() { todo(\"square it\") }\nf()", file: "e.lab", firstLine: 5)
        XCTAssertEqual(result.failure, CellFailure(line: 5, message: "not done yet: square it"))
    }

    func testOutputStreamsAsItIsWritten() {
        var seen: [CellOutput] = []
        let result = makeExecutor().execute(code: "for i in 0..3 { print(i) }", file: "s.lab", firstLine: 1) { seen.append($0) }
        XCTAssertEqual(seen, [.text("0\n"), .text("1\n"), .text("2\n")])
        XCTAssertEqual(result.outputs, seen)
    }

    func testTimeLimitStopsAnEndlessCell() {
        let executor = makeExecutor(timeLimit: 0.3)
        let start = ContinuousClock.now
        let result = executor.execute(code: "i = 0\nwhile true { i += 1 }", file: "t.lab", firstLine: 1)
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(3))
        XCTAssertEqual(result.failure?.message, "stopped after the time limit of 0.3 s (an endless loop?)")
        XCTAssertEqual(result.failure?.line, 2)
        // The next cell runs normally in the same session.
        XCTAssertEqual(executor.execute(code: "print(i > 0)", file: "t.lab", firstLine: 3).outputs, [.text("true\n")])
    }

    func testCancelStopsTheRunningCell() {
        let executor = makeExecutor()
        let flag = executor.session.interpreter.cancellation
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) { flag.cancel() }
        let result = executor.execute(code: "while true { }", file: "c.lab", firstLine: 1)
        XCTAssertEqual(result.failure?.message, "interrupted")
    }

    func testLessonRunnerRunsALessonThroughTheInterpreter() throws {
        let text = """
            # %% [markdown]
            # # A tiny lesson

            # %%
            z = randn(64, 8)
            print("std", embedding_std(z) > 0.2)

            # %%
            expect(embedding_std(ones(64, 8)) < 0.01, "identical embeddings have no spread")
            expect(false, "this claim fails")

            """
        let document = try NotebookDocument(parsing: text, file: "tiny.lab")
        var shown = ""
        let run = LessonRunner(executor: makeExecutor(), options: .init(showCode: false), write: { shown += $0 }).run(document)
        XCTAssertEqual(run.records.compactMap { $0.failure?.line }, [10])
        XCTAssertTrue(shown.contains("std true"), shown)
        XCTAssertTrue(shown.contains("tiny.lab:10:1: error: expect failed: this claim fails"), shown)
        XCTAssertEqual(run.exitStatus, 1)
    }
}
