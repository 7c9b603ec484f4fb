import Foundation
import LabScript
import XCTest
@testable import Notebook

/// Visible tests where the learner works (the lesson runner that `selfsup run`, `:load`
/// and exports use), and `check()`, which grades the recorded exercise cells afresh.
final class ExerciseCellsTests: XCTestCase {
    /// An official exercise in a folder of its own, with a hidden tests file next to it.
    var directory: URL!

    static let official = """
        # %% [markdown]
        # Double a number.

        # %% [exercise] id=double
        fn double(x) {
            todo("return twice x")
        }

        # %% [test] points=3 name="doubles two"
        expect_equal(double(2), 4)

        # %% [test] points=2 name="keeps the shape"
        expect_shape([double(1), double(2)], [2])

        """

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("exercise-cells-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try ExerciseCellsTests.official.write(to: directory.appendingPathComponent("01-double.lab"), atomically: true, encoding: .utf8)
        // A hidden test that fails whatever the answer: check() must never run it.
        try """
            # %% [test] points=5 name="hidden"
            expect(false, "a hidden test ran")

            """.write(to: directory.appendingPathComponent("tests/01-double.tests.lab"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The official file with the exercise cell's body replaced, plus `extra` code cells.
    func learnerFile(_ body: String, after extra: String = "") -> String {
        ExerciseCellsTests.official.replacingOccurrences(of: "    todo(\"return twice x\")", with: body) + extra
    }

    func run(_ text: String) throws -> (output: String, run: LessonRun, executor: InterpreterCellExecutor) {
        let exercise = ExerciseCells(exercisesDirectory: directory, makeSession: ScriptSession.languageOnly)
        let session = ScriptSession.languageOnly(output: BufferOutputSink(), cancellation: CancellationFlag())
        let executor = InterpreterCellExecutor(session: session, exercise: exercise)
        var output = ""
        let runner = LessonRunner(executor: executor, options: .init(showCode: false, showProse: false),
                                  write: { output += $0 })
        let run = runner.run(try NotebookDocument(parsing: text, file: "mine.lab"))
        return (output, run, executor)
    }

    /// The script value of calling `check()` in the session the executor ran.
    func check(_ executor: InterpreterCellExecutor) -> (score: Double?, printed: String) {
        let result = executor.execute(code: "score = check()", file: "mine.lab", firstLine: 100)
        XCTAssertNil(result.failure, "\(result.outputs)")
        let printed = result.outputs.map { output -> String in
            if case .text(let text) = output { return text }
            return ""
        }.joined()
        guard case .number(let score)? = executor.scope.lookup("score") else { return (nil, printed) }
        return (score, printed)
    }

    func testPassingVisibleTestsSaySoWithTheGradersExpectations() throws {
        let (output, run, _) = try run(learnerFile("    return 2 * x"))
        XCTAssertEqual(run.outcome, .completed)
        XCTAssertTrue(output.contains("✓ doubles two (3 points)\n"), output)
        XCTAssertTrue(output.contains("✓ keeps the shape (2 points)\n"), output)
        XCTAssertFalse(output.contains("undefined name"), output)
    }

    func testAFailingVisibleTestIsLocatedAndTheRunGoesOn() throws {
        let (output, run, _) = try run(learnerFile("    return x + 1"))
        // The first test fails at its own line (10 of the file), the second still runs and passes.
        guard case .failed(_, let line, let message) = run.outcome else { return XCTFail("\(run.outcome)") }
        XCTAssertEqual(line, 10)
        XCTAssertTrue(message.contains("got 3, expected 4"), message)
        XCTAssertTrue(output.contains("mine.lab:10:"), output)
        XCTAssertTrue(output.contains("✗ doubles two failed"), output)
        XCTAssertTrue(output.contains("✓ keeps the shape (2 points)"), output)
        XCTAssertFalse(output.contains("✓ doubles two"), output)
    }

    func testAForgottenReturnIsReportedAtTheLearnersLine() throws {
        let (output, run, _) = try run(learnerFile("    2 * x"))
        XCTAssertNotEqual(run.outcome, .completed)
        XCTAssertTrue(output.contains("mine.lab:6:5: warning: fn double ends with an expression whose value (number) "
                                      + "is thrown away, so it returns nil"), output)
    }

    func testCheckGradesTheExerciseCellsAgainstTheVisibleTestsOnly() throws {
        let right = try run(learnerFile("    return 2 * x"))
        let (score, printed) = check(right.executor)
        XCTAssertEqual(score, 5)
        XCTAssertTrue(printed.contains("doubles two"), printed)
        XCTAssertFalse(printed.contains("hidden"), printed)
        let report = try right.executor.exercise.grade()
        XCTAssertEqual(report.tests.count, 2, "the two visible tests, never the hidden one")
        XCTAssertEqual(report.tests.filter(\.isHidden).count, 0)
        XCTAssertEqual(report.maxScore, 5)

        let wrong = try run(learnerFile("    return x + 1"))
        XCTAssertEqual(check(wrong.executor).score, 2)
    }

    func testCheckIgnoresWhatTheLiveSessionChanged() throws {
        // The exercise cell is wrong (it scales by 3); the learner then fixes the global by
        // hand in a code cell, so the live tests pass, but the exercise cells alone do not.
        let text = learnerFile("    return x * scale").replacingOccurrences(of: "fn double(x) {", with: "scale = 3\nfn double(x) {")
            .replacingOccurrences(of: "# %% [test] points=3", with: "# %%\nscale = 2\n\n# %% [test] points=3")
        let (output, run, executor) = try run(text)
        XCTAssertEqual(run.outcome, .completed, output)
        XCTAssertTrue(output.contains("✓ doubles two"), output)
        // Graded afresh, double(2) is 6: only the shape test passes.
        XCTAssertEqual(check(executor).score, 2)
        // And a global changed after the run changes nothing either.
        let right = try self.run(learnerFile("    return 2 * x"))
        _ = right.executor.execute(code: "fn double(x) { return 0 }", file: "mine.lab", firstLine: 90)
        XCTAssertEqual(check(right.executor).score, 5)
    }

    func testCheckInASessionWithoutAnExerciseSaysSo() {
        // The grader's own sessions are such sessions: learner code calling check() while
        // being graded gets this error, never a grading inside the grading.
        let session = ScriptSession.languageOnly(output: BufferOutputSink(), cancellation: CancellationFlag())
        let run = CodeRunner(session: session).run("check()", file: "mine.lab", firstLine: 1,
                                                    in: session.interpreter.globals, timeLimit: nil)
        XCTAssertTrue(run.diagnostics.first?.message.contains("this session runs no exercise") ?? false, "\(run.diagnostics)")
    }

    func testCheckBeforeAnyExerciseCellSaysWhatToDo() throws {
        let (_, _, executor) = try run("# %%\nx = 1\n")
        let result = executor.execute(code: "check()", file: "mine.lab", firstLine: 1)
        XCTAssertTrue(result.failure?.message.contains("no exercise cell has run yet") ?? false, "\(result)")
    }

    func testTheExerciseNotebookMarksItsCellsForTheKernelAndReadsBackTheSame() throws {
        let document = try NotebookDocument(parsing: ExerciseCellsTests.official, file: "01-double.lab")
        let url = directory.appendingPathComponent("work.ipynb")
        try AtomicFile.write(JupyterExport.exerciseNotebook(document).serialized(), to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains("# %% [exercise] id=double\\n"), text)
        XCTAssertTrue(text.contains("# %% [test] points=3 name=\\\"doubles two\\\"\\n"), text)
        let back = try NotebookDocument(contentsOf: url)
        XCTAssertEqual(back.cells.map(\.source), document.cells.map(\.source))
        XCTAssertEqual(back.cells.map(\.kind), document.cells.map(\.kind))
    }
}
