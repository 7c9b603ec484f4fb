import Foundation
import LabScript
import XCTest
@testable import Notebook

/// Tampering with a real exercise (02-nt-xent, every builtin installed): rebinding the
/// checks and the reference builtin, endless loops, a cell that does not parse.
final class GraderExerciseTamperTests: XCTestCase {
    typealias S = GraderTestSupport

    func grade(_ fixture: String, options: GraderOptions = GraderExerciseTests.options) throws -> GradeReport {
        let tests = S.exercises.appendingPathComponent("tests/02-nt-xent.tests.lab")
        let file = S.fixtures.appendingPathComponent(fixture)
        let merged = try ExerciseFile(contentsOf: file).merging(hiddenTests: try NotebookDocument(contentsOf: tests))
        return Grader(options: options, makeSession: ScriptSession.standard).grade(merged)
    }

    func testRebindingExpectAndNTXentEarnsNothingMore() throws {
        // The same constant-zero loss, without and with the tampering cell.
        let honest = try grade("02-nt-xent.constant-loss.lab")
        let tampered = try grade("02-nt-xent.tamper.lab")
        XCTAssertEqual(tampered.score, honest.score, tampered.humanText())
        XCTAssertEqual(tampered.tests.map(\.passed), honest.tests.map(\.passed))
        XCTAssertLessThan(tampered.score, tampered.maxScore / 2, tampered.humanText())
        let builtin = try XCTUnwrap(tampered.tests.first { $0.name == "agrees with the builtin nt_xent" })
        XCTAssertFalse(builtin.passed)
        XCTAssertTrue(builtin.message.hasPrefix("got 0, expected "), builtin.message)
        XCTAssertEqual(Set(tampered.shadowedNames),
                       ["expect", "expect_close", "expect_equal", "expect_shape", "nt_xent", "todo"])
    }

    func testEndlessLoopsAreStoppedAndGradingFinishes() throws {
        let start = ContinuousClock.now
        let report = try grade("02-nt-xent.endless-loop.lab", options: GraderOptions(testTimeLimit: 1, learnerCellTimeLimit: 1))
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(20))
        // The two tests of similarities time out; the loss does not use it and passes.
        let timedOut = report.tests.filter(\.timedOut).map(\.name)
        XCTAssertEqual(timedOut, ["similarities has one row and one column per pair", "similarities match numpy"])
        XCTAssertEqual(report.score, report.maxScore - 2, report.humanText())
        XCTAssertTrue(report.tests[0].message.contains("stopped after the time limit of 1 s (an endless loop?)"), report.tests[0].message)
        XCTAssertEqual(report.learnerErrors.count, 1)
        XCTAssertTrue(report.learnerErrors[0].rendered.contains("stopped after the time limit"), report.learnerErrors[0].rendered)
    }

    func testACellThatDoesNotParseCostsWhatNeedsIt() throws {
        let report = try grade("02-nt-xent.parse-error.lab")
        XCTAssertEqual(report.learnerErrors.count, 1)
        XCTAssertTrue(report.learnerErrors[0].rendered.contains("02-nt-xent.parse-error.lab:"), report.learnerErrors[0].rendered)
        // Only the similarity tests (2 points) survive: nt_xent_loss was never defined.
        XCTAssertEqual(report.score, 2, report.humanText())
        let loss = try XCTUnwrap(report.tests.first { $0.name == "the loss matches numpy at temperature 0.5" })
        XCTAssertTrue(loss.message.contains("undefined name 'nt_xent_loss'"), loss.message)
        XCTAssertTrue(loss.message.contains("your code stopped early with an error at line"), loss.message)
    }

    func testSaveAndLoadAreRefusedToTheLearner() throws {
        let session = ScriptSession.standard(output: BufferOutputSink(), cancellation: CancellationFlag())
        let names = GraderScopes.fileAccessNames(in: session.interpreter)
        XCTAssertTrue(Set(["save", "load"]).isSubset(of: Set(names)), "\(names)")
        let text = """
            # %% [exercise] id=peek
            fn peek() { return load(mlp([2, 2]), "/etc/passwd") }

            # %% [test] points=1 name="peeks"
            peek()

            """
        let report = Grader(options: S.quick, makeSession: ScriptSession.standard).grade(try ExerciseFile(parsing: text, file: "peek.lab"))
        XCTAssertTrue(report.tests[0].message.contains("load reads or writes files, which is not allowed while grading"),
                      report.tests[0].message)
    }

    func testAHugeTensorIsRefusedWhileGrading() throws {
        let text = """
            # %% [exercise] id=big
            fn big() { return randn(3000, 3000) @ randn(3000, 3000) }

            # %% [test] points=1 name="big"
            expect_shape(big(), [3000, 3000])

            """
        let report = Grader(options: S.quick, makeSession: ScriptSession.standard).grade(try ExerciseFile(parsing: text, file: "big.lab"))
        XCTAssertFalse(report.tests[0].passed)
        XCTAssertTrue(report.tests[0].message.contains("more than the limit of 4000000"), report.tests[0].message)
    }

    func testLearnerRandomnessDoesNotChangeWhatTestsDraw() throws {
        // Each test starts from the same seed, whatever the learner's code drew or seeded.
        func printedDraws(learner: String) throws -> [String] {
            let text = """
                # %% [exercise] id=draw
                \(learner)
                fn nothing() { return 0 }

                # %% [test] points=1 name="first"
                print(randn(3).tolist())

                # %% [test] points=1 name="second"
                print(randn(3).tolist())

                """
            let report = Grader(options: S.quick, makeSession: ScriptSession.standard)
                .grade(try ExerciseFile(parsing: text, file: "draw.lab"))
            XCTAssertTrue(report.isFullMarks, report.humanText())
            return report.tests.map(\.printed)
        }
        let quiet = try printedDraws(learner: "x = 1")
        let noisy = try printedDraws(learner: "seed(99)\njunk = randn(1000)")
        XCTAssertEqual(quiet.count, 2)
        XCTAssertTrue(quiet[0].hasPrefix("["), quiet[0])
        XCTAssertEqual(quiet, noisy)
        XCTAssertEqual(quiet[0], quiet[1], "every test starts from the same seed")
    }
}
