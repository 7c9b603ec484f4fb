import Foundation
import LabScript
import LabSupport
import XCTest
@testable import Notebook

/// Learner code that tries to change what the grader sees, never stops, or does not parse.
final class GraderTamperTests: XCTestCase {
    typealias S = GraderTestSupport

    func testRedefiningTheChecksDoesNotChangeWhatTestsSee() throws {
        // Wrong answers, plus every way of rebinding the grader's checks.
        let tamper = """

            # %%
            fn expect(condition, message = "") { return nil }
            expect_close = fn(a, b, tol = 0, rtol = 0, message = nil) { return nil }
            fn expect_equal(a, b, message = nil) { return nil }
            print = 0
            """
        let report = try S.grade(S.meanExercise(mean: "return 0", variance: "return 0", extra: tamper))
        XCTAssertEqual(report.score, 0, report.humanText())
        XCTAssertEqual(report.tests.map(\.passed), [false, false])
        XCTAssertTrue(report.tests[0].message.contains("got 0, expected 3"), report.tests[0].message)
        XCTAssertEqual(Set(report.shadowedNames), ["expect", "expect_close", "expect_equal", "print"])
        XCTAssertTrue(report.humanText().contains("tests use the grader's own"))

        // The same tampering does not cost a correct solution anything.
        let honest = try S.grade(S.meanExercise(mean: S.meanSolution, variance: S.varianceSolution, extra: tamper))
        XCTAssertEqual(honest.score, 5, honest.humanText())
    }

    func testRedefiningAReferenceBuiltinDoesNotChangeTheTests() throws {
        // A reference builtin registered by the host (as LabBuiltins registers nt_xent).
        let withReference: ScriptSession.Factory = { output, cancellation in
            let session = ScriptSession.languageOnly(output: output, cancellation: cancellation)
            session.interpreter.register(NativeFunction(
                name: "reference_mean", parameters: [Parameter("xs")], summary: "The mean, for tests."
            ) { args, _ in
                let xs = try args.list("xs")
                let total = xs.reduce(0.0) { sum, value in if case .number(let x) = value { return sum + x }; return sum }
                return .number(total / Double(max(xs.count, 1)))
            })
            return session
        }
        let text = S.meanExercise(mean: "return reference_mean(xs)", variance: "return 0", extra: """

            # %%
            reference_mean = fn(xs) { return 0 }
            """) + """
            # %% [test] points=4 name="agrees with the reference"
            expect_close(mean_of([1, 2, 3, 10]), reference_mean([1, 2, 3, 10]))

            """
        let report = try S.grade(text, makeSession: withReference)
        // mean_of calls the learner's own reference_mean (its scope), which returns 0:
        // the test compares with the grader's reference and fails.
        XCTAssertEqual(report.tests.map(\.passed), [false, false, false], report.humanText())
        XCTAssertTrue(report.tests[2].message.contains("got 0, expected 4"), report.tests[2].message)
        XCTAssertEqual(report.shadowedNames, ["reference_mean"])
    }

    func testAForbiddenBuiltinIsRefusedToTheLearnerButNotToTests() throws {
        let text = """
            # %% [exercise] id=sum forbid="sorted, len"
            fn count(xs) { return len(xs) }

            # %% [test] points=1 name="count"
            expect_equal(count([1, 2, 3]), len([1, 2, 3]))

            """
        let report = try S.grade(text)
        XCTAssertEqual(report.score, 0)
        XCTAssertTrue(report.tests[0].message.contains("len is not available in this exercise"), report.tests[0].message)
        // The refusal is one sentence of the catalogue, in the learner's language.
        let saved = Messages.language
        defer { Messages.language = saved }
        Messages.language = .zh
        let chinese = try S.grade(text)
        XCTAssertEqual(chinese.score, 0)
        XCTAssertTrue(chinese.tests[0].message.contains("len 在本练习中不可用：请用基本运算自己实现它"), chinese.tests[0].message)
    }

    func testFileAccessBuiltinsAreRefusedToTheLearner() throws {
        let withFiles: ScriptSession.Factory = { output, cancellation in
            let session = ScriptSession.languageOnly(output: output, cancellation: cancellation)
            session.interpreter.register(NativeFunction(
                name: "read_text", parameters: [Parameter("path")], summary: "Reads a file."
            ) { args, _ in .string((try? String(contentsOfFile: try args.string("path"), encoding: .utf8)) ?? "") })
            return session
        }
        let text = """
            # %% [exercise] id=peek
            fn peek() { return read_text("mean.tests.lab") }
            answer = peek()

            # %% [test] points=1 name="peeks"
            expect(peek() == "", "reads nothing")

            """
        let report = try S.grade(text, makeSession: withFiles)
        XCTAssertEqual(report.learnerErrors.count, 1)
        XCTAssertTrue(report.learnerErrors[0].rendered.contains("read_text reads or writes files, which is not allowed while grading"),
                      report.learnerErrors[0].rendered)
        XCTAssertFalse(report.tests[0].passed)
        XCTAssertTrue(report.tests[0].message.contains("read_text reads or writes files"), report.tests[0].message)
    }

    func testAnEndlessLoopFailsThatTestAndGradingGoesOn() throws {
        let loop = """
            while true { }
                return 0
            """
        let start = ContinuousClock.now
        let report = try S.grade(S.meanExercise(mean: loop, variance: "return 14 / 3"))
        let elapsed = ContinuousClock.now - start
        XCTAssertEqual(report.tests.map(\.passed), [false, true])
        XCTAssertEqual(report.score, 3)
        XCTAssertTrue(report.tests[0].timedOut)
        XCTAssertTrue(report.tests[0].message.contains("stopped after the time limit of 1 s"), report.tests[0].message)
        XCTAssertLessThan(elapsed, .seconds(5))
    }

    func testATestTimeoutFromMetadataIsUsed() throws {
        let text = """
            # %% [exercise] id=spin
            fn spin() { while true { } }

            # %% [test] points=1 name="spins" timeout=300ms
            spin()

            """
        let report = try S.grade(text, options: GraderOptions(testTimeLimit: 30, learnerCellTimeLimit: 30))
        XCTAssertFalse(report.tests[0].passed)
        XCTAssertTrue(report.tests[0].message.contains("time limit of 0.3 s"), report.tests[0].message)
        XCTAssertLessThan(report.seconds, 5)
    }

    func testALearnerCellThatNeverEndsIsStopped() throws {
        let text = S.meanExercise(mean: S.meanSolution, variance: S.varianceSolution,
                                  extra: "\n# %%\ni = 0\nwhile true { i += 1 }\n")
        let report = try S.grade(text)
        XCTAssertEqual(report.learnerErrors.count, 1)
        XCTAssertTrue(report.learnerErrors[0].rendered.contains("stopped after the time limit of 1 s"))
        XCTAssertEqual(report.score, 5)
    }

    func testASolutionThatDoesNotParseScoresWhatItDeserves() throws {
        let text = S.meanExercise(mean: "return (xs[0] + ", variance: S.varianceSolution)
        let report = try S.grade(text)
        XCTAssertEqual(report.score, 0, report.humanText())
        XCTAssertEqual(report.learnerErrors.count, 1)
        XCTAssertTrue(report.learnerErrors[0].rendered.hasPrefix("mean.lab:"), report.learnerErrors[0].rendered)
        XCTAssertTrue(report.tests[0].message.contains("undefined"), report.tests[0].message)
        XCTAssertTrue(report.tests[0].message.contains("your code stopped early with an error at line"), report.tests[0].message)
    }

    func testEditedVisibleTestsAreReplacedByTheOfficialOnes() throws {
        let official = try ExerciseFile(parsing: S.meanExercise(), file: "official/mean.lab")
        // The learner weakened a test and deleted the other.
        var edited = S.meanExercise(mean: "return 0", variance: "return 0")
        let cut = try XCTUnwrap(edited.range(of: "# %% [test] points=3"))
        edited = String(edited[..<cut.lowerBound]).replacingOccurrences(of: "expect_close(mean_of([1, 2, 6]), 3)", with: "expect(true)")
        XCTAssertEqual(try S.grade(edited).score, 2, "graded on its own copy, the edit pays")
        let graded = Grader(options: S.quick, makeSession: ScriptSession.languageOnly)
            .grade(try ExerciseFile.handIn(try NotebookDocument(parsing: edited, file: "mean.lab"), official: official))
        XCTAssertEqual(graded.score, 0)
        XCTAssertEqual(graded.maxScore, 5)
        XCTAssertTrue(graded.tests[0].message.contains("got 0, expected 3 (difference 3; tol 0.0001) (official/mean.lab:"),
                      graded.tests[0].message)

        // A copy with no tests at all still grades against the official ones.
        let bare = "# %% [exercise] id=mean\nfn mean_of(xs) { return 3 }\n"
        let bareGrade = Grader(options: S.quick, makeSession: ScriptSession.languageOnly)
            .grade(try ExerciseFile.handIn(try NotebookDocument(parsing: bare, file: "mean.lab"), official: official))
        XCTAssertEqual(bareGrade.tests.map(\.passed), [true, false])
    }

    func testAFileThatIsNotAnExerciseCannotBeGraded() throws {
        let directory = try S.temporaryDirectory()
        let file = directory.appendingPathComponent("broken.lab")
        try "# %% [exercise]\nx = 1\n".write(to: file, atomically: true, encoding: .utf8)
        let outcome = GradeCommand.run(GradeRequest(file: file, exercisesDirectory: directory), makeSession: ScriptSession.languageOnly)
        XCTAssertEqual(outcome.status, 2)
        XCTAssertNil(outcome.report)
        XCTAssertTrue(outcome.text.hasPrefix("cannot grade: "), outcome.text)
        XCTAssertTrue(outcome.text.contains("broken.lab:1"), outcome.text)
    }
}
