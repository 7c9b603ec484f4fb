import Foundation
import LabScript
import XCTest
@testable import Notebook

/// A hand-in is graded against the official exercise: what the learner edits outside
/// their `[exercise]` cells (tests, points, timeouts, `forbid=`, extra code cells) does
/// not count, what they print cannot pass for the grader's words, and what an exercise
/// forbids stays forbidden along every path to it.
final class GraderHandInTests: XCTestCase {
    typealias S = GraderTestSupport

    /// A folder `Exercises/` with the official `mean.lab` and its hidden tests.
    func officialFolder() throws -> (root: URL, exercises: URL) {
        let root = try S.temporaryDirectory()
        let exercises = root.appendingPathComponent("Exercises")
        try FileManager.default.createDirectory(at: exercises.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try S.meanExercise().write(to: exercises.appendingPathComponent("mean.lab"), atomically: true, encoding: .utf8)
        try S.hiddenTests.write(to: exercises.appendingPathComponent("tests/mean.tests.lab"), atomically: true, encoding: .utf8)
        return (root, exercises)
    }

    func gradeHandIn(_ text: String, in folder: (root: URL, exercises: URL), name: String = "hand-in.lab",
                     official: URL? = nil) throws -> GradeOutcome {
        let file = folder.root.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return GradeCommand.run(GradeRequest(file: file, options: S.quick, officialFile: official,
                                             exercisesDirectory: folder.exercises),
                                makeSession: ScriptSession.languageOnly)
    }

    /// Every trick on the test cells at once: weakened, renamed into a clash, a broken
    /// marker, an added test worth 1000 points with a long timeout, and a code cell that
    /// redefines the learner's function after the exercise cell.
    static func tampered(_ exercise: String) -> String {
        exercise
            .replacingOccurrences(of: "expect_close(mean_of([1, 2, 6]), 3)", with: "expect(true)")
            .replacingOccurrences(of: "name=\"variance divides by n\"", with: "name=\"mean of three numbers\"")
            + """

            # %% [test] points=1000 name="mine" timeout=100h
            expect(true)

            # %% [test] points=lots
            expect(true)

            # %%
            fn variance_of(xs) { return 14 / 3 }

            """
    }

    func testTamperedTestCellsAreGradedByTheOfficialTests() throws {
        let folder = try officialFolder()
        let wrong = try gradeHandIn(GraderHandInTests.tampered(S.meanExercise(mean: "return 0", variance: "return 0")), in: folder)
        XCTAssertEqual(wrong.status, 0, wrong.text)
        // Only the hidden "variance of a constant list" passes: 0 is the variance of [4, 4, 4, 4].
        XCTAssertEqual(wrong.report?.score, 2, wrong.text)
        XCTAssertEqual(wrong.report?.maxScore, 8, "official visible (5) and hidden (3) points only:\n" + wrong.text)
        XCTAssertEqual(wrong.report?.tests.map(\.name), ["mean of three numbers", "variance divides by n",
                                                         "mean of one number", "variance of a constant list"])

        let partial = try gradeHandIn(GraderHandInTests.tampered(S.meanExercise(mean: S.meanSolution, variance: "return 0")),
                                      in: folder)
        XCTAssertEqual(partial.report?.score, 5, partial.text)

        let right = try gradeHandIn(GraderHandInTests.tampered(S.meanExercise(mean: S.meanSolution, variance: S.varianceSolution)),
                                    in: folder)
        XCTAssertEqual(right.report?.score, 8, right.text)
    }

    func testTheOfficialForbidAndTimeoutsHoldWhateverTheHandInSays() throws {
        let folder = try officialFolder()
        var official = S.meanExercise()
        official = official.replacingOccurrences(of: "[exercise] id=mean", with: "[exercise] id=mean forbid=\"len\"")
        try official.write(to: folder.exercises.appendingPathComponent("mean.lab"), atomically: true, encoding: .utf8)
        // The hand-in drops forbid= and reaches len through an alias and a record.
        let handIn = S.meanExercise(mean: """
            f = len
                r = {g: len}
                total = 0
                for x in xs { total += x }
                return total / (f(xs) + r.g(xs) - len(xs))
            """, variance: "while true { }")
        let outcome = try gradeHandIn(handIn, in: folder)
        let report = try XCTUnwrap(outcome.report, outcome.text)
        XCTAssertFalse(report.tests[0].passed, outcome.text)
        XCTAssertTrue(report.tests[0].message.contains("len is not available in this exercise"), report.tests[0].message)
        XCTAssertTrue(report.tests[1].timedOut, "the official default limit, not one of the hand-in's:\n" + outcome.text)
    }

    func testAHandInOfNoKnownExerciseIsRefusedUnlessTheOfficialFileIsNamed() throws {
        let folder = try officialFolder()
        let other = S.meanExercise(mean: S.meanSolution, variance: S.varianceSolution)
            .replacingOccurrences(of: "id=mean", with: "id=average").replacingOccurrences(of: "id=variance", with: "id=spread")
        let refused = try gradeHandIn(other, in: folder)
        XCTAssertEqual(refused.status, 2)
        XCTAssertNil(refused.report)
        XCTAssertTrue(refused.text.contains("match no exercise") && refused.text.contains("--official"), refused.text)

        let noCells = try gradeHandIn("# %%\nx = 1\n", in: folder)
        XCTAssertEqual(noCells.status, 2, noCells.text)

        // Named by the teacher, the official file decides; ids it does not know are ignored.
        let named = try gradeHandIn(other, in: folder, official: folder.exercises.appendingPathComponent("mean.lab"))
        XCTAssertEqual(named.status, 0, named.text)
        XCTAssertEqual(named.report?.score, 0, "the hand-in's cells match no official id, so the starter's todos run")
        XCTAssertEqual(named.report?.maxScore, 8)
    }

    /// The official `mean.lab`'s exported notebook with the exercise cells of this
    /// percent-format hand-in pasted in.
    func notebook(pasting handIn: String, in folder: (root: URL, exercises: URL)) throws -> LearnerNotebook {
        var notebook = try LearnerNotebook(exported: folder.exercises.appendingPathComponent("mean.lab"))
        let file = folder.root.appendingPathComponent("pasted-\(UUID().uuidString).lab")
        try handIn.write(to: file, atomically: true, encoding: .utf8)
        try notebook.paste(exerciseCellsOf: file)
        return notebook
    }

    func gradeNotebook(_ notebook: LearnerNotebook, in folder: (root: URL, exercises: URL), name: String = "my work.ipynb",
                       official: URL? = nil) throws -> GradeOutcome {
        let file = folder.root.appendingPathComponent(name)
        try notebook.write(to: file)
        return GradeCommand.run(GradeRequest(file: file, options: S.quick, officialFile: official,
                                             exercisesDirectory: folder.exercises),
                                makeSession: ScriptSession.languageOnly)
    }

    func testANotebookIsGradedAsTheExerciseItNamesWhateverItIsCalled() throws {
        let folder = try officialFolder()
        var notebook = try self.notebook(pasting: S.meanExercise(mean: S.meanSolution, variance: S.varianceSolution), in: folder)
        let full = try gradeNotebook(notebook, in: folder)
        XCTAssertEqual(full.status, 0, full.text)
        XCTAssertEqual(full.report?.score, 8, full.text)
        XCTAssertFalse(full.text.contains("warning"), full.text)

        // The variance cell deleted: its ids alone match no exercise exactly, the name does.
        notebook.cells.remove(at: try XCTUnwrap(notebook.indices(ofKind: .exercise).last))
        let partial = try gradeNotebook(notebook, in: folder)
        XCTAssertEqual(partial.status, 0, partial.text)
        XCTAssertEqual(partial.report?.score, 3, "the mean tests, visible (2) and hidden (1):\n" + partial.text)
        XCTAssertTrue(partial.text.hasPrefix("warning: ") && partial.text.contains("no [exercise] cell with id variance, "
                                                                                   + "so the official starter code was graded"),
                      partial.text)

        // Without the notebook's name for its exercise, it is refused with the reason.
        notebook.json["metadata"] = [String: Any]()
        let unnamed = try gradeNotebook(notebook, in: folder)
        XCTAssertEqual(unnamed.status, 2, unnamed.text)
        XCTAssertTrue(unnamed.text.contains("(mean) of") && unnamed.text.contains("match no exercise"), unnamed.text)
    }

    func testANotebookWithoutExerciseCellsIsRefusedAndNeverGradedSilently() throws {
        let folder = try officialFolder()
        var notebook = try self.notebook(pasting: S.meanExercise(mean: S.meanSolution, variance: S.varianceSolution), in: folder)
        // Copied into cells of a fresh notebook: the code is there, the cells' metadata is not.
        for index in notebook.cells.indices { notebook.cells[index]["metadata"] = [String: Any]() }
        let refused = try gradeNotebook(notebook, in: folder)
        XCTAssertEqual(refused.status, 2, refused.text)
        XCTAssertNil(refused.report)
        XCTAssertTrue(refused.text.contains("has no [exercise] cells") && refused.text.contains("selfsup export")
                      && refused.text.contains("--official"), refused.text)

        let named = try gradeNotebook(notebook, in: folder, official: folder.exercises.appendingPathComponent("mean.lab"))
        XCTAssertEqual(named.status, 0, named.text)
        XCTAssertEqual(named.report?.score, 0, named.text)
        XCTAssertTrue(named.text.contains("no [exercise] cell with id mean, variance"), named.text)
    }

    func testATamperedNotebookScoresWhatItsExerciseCellsEarn() throws {
        let folder = try officialFolder()
        let handIn = S.meanExercise(mean: S.meanSolution, variance: S.varianceWrongDenominator)
        let lab = try gradeHandIn(handIn, in: folder)
        // The mean tests (2 + 1) and the constant list (2): n − 1 only matters when the variance is not 0.
        XCTAssertEqual(lab.report?.score, 5, lab.text)
        var notebook = try self.notebook(pasting: handIn, in: folder)
        XCTAssertEqual(try gradeNotebook(notebook, in: folder).report?.tests.map(\.passed), lab.report?.tests.map(\.passed))

        let reference = folder.root.appendingPathComponent("reference.lab")
        try S.meanExercise(mean: S.meanSolution, variance: S.varianceSolution).write(to: reference, atomically: true, encoding: .utf8)
        try notebook.tamper(reference: reference)
        let tampered = try gradeNotebook(notebook, in: folder)
        XCTAssertEqual(tampered.status, 0, tampered.text)
        XCTAssertEqual(tampered.report?.tests.map(\.passed), lab.report?.tests.map(\.passed), tampered.text)
        XCTAssertEqual(tampered.report?.score, 5, tampered.text)
        XCTAssertEqual(tampered.report?.maxScore, 8, tampered.text)
    }

    func testAHiddenTestNamedLikeAVisibleOneStillRuns() throws {
        let hidden = """
            # %% [test] points=4 name="mean of three numbers"
            expect_close(mean_of([2, 4]), 3)

            """
        let report = try S.grade(S.meanExercise(mean: S.meanSolution, variance: S.varianceSolution), hidden: hidden)
        XCTAssertEqual(report.tests.map(\.name), ["mean of three numbers", "variance divides by n", "mean of three numbers"])
        XCTAssertEqual(report.tests.map(\.isHidden), [false, false, true])
        XCTAssertEqual(report.score, 9)
    }

    func testLearnerTextCannotPassForTheGradersReport() throws {
        let injection = "\\nScore: 10/10 (2 of 2 tests passed)\\r✓ mean of three numbers  2/2\u{1B}[2K"
        let text = S.meanExercise(mean: "print(\"\(injection)\")\n    return 0",
                                  variance: "todo(\"\(injection)\")")
        let report = try S.grade(text)
        let human = report.humanText()
        XCTAssertEqual(report.score, 0)
        XCTAssertFalse(human.contains("\r") || human.contains("\u{1B}"), human)
        let lines = human.split(separator: "\n")
        XCTAssertEqual(lines.filter { $0.hasPrefix("Score:") }, ["Score: 0/5 (0 of 2 tests passed)"], human)
        XCTAssertEqual(lines.filter { $0.hasPrefix("✓") }, [], human)
        let injected = lines.filter { $0.contains("10/10") }
        XCTAssertGreaterThanOrEqual(injected.count, 2, human)
        for line in injected {
            XCTAssertTrue(line.trimmingCharacters(in: .whitespaces).hasPrefix("│"), "learner text is quoted: \(line)")
        }
        XCTAssertTrue(human.contains("printed (output of the code, not of the grader):"), human)
    }

    func testEmptyResultsNeverEqualANumber() throws {
        for (actual, expected) in [("[]", "3"), ("[]", "0"), ("[[]]", "0"), ("[0, 0]", "0"), ("[3]", "3")] {
            let text = """
                # %% [exercise] id=e
                fn f() { return \(actual) }

                # %% [test] points=1 name="close"
                expect_close(f(), \(expected))

                # %% [test] points=1 name="equal"
                expect_equal(f(), \(expected))

                """
            let report = try S.grade(text)
            XCTAssertEqual(report.score, 0, "\(actual) against \(expected):\n" + report.humanText())
            XCTAssertTrue(report.tests.allSatisfy { $0.message.contains("shapes differ") }, report.humanText())
        }
        // Broadcasting is there when a test asks for it, and never for an empty result.
        let asked = """
            # %% [exercise] id=e
            fn f(n) { return [2, 2, 2][:n] }

            # %% [test] points=1 name="all twos"
            expect_close(f(3), 2, broadcast: true)
            expect_equal(f(3), 2, broadcast: true)

            # %% [test] points=1 name="empty"
            expect_close(f(0), 2, broadcast: true)

            """
        let report = try S.grade(asked)
        XCTAssertEqual(report.tests.map(\.passed), [true, false], report.humanText())
    }
}
