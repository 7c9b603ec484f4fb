import Foundation
import LabScript
import XCTest
@testable import Notebook

/// The grader on a small exercise about lists (language builtins only): scores, messages,
/// hidden tests, line numbers and the learner's errors.
final class GraderTests: XCTestCase {
    typealias S = GraderTestSupport

    func testStarterScoresZeroAndSaysWhatIsNotDone() throws {
        let report = try S.grade(S.meanExercise())
        XCTAssertEqual(report.score, 0)
        XCTAssertEqual(report.maxScore, 5)
        XCTAssertEqual(report.tests.map(\.passed), [false, false])
        let message = report.tests[0].message
        XCTAssertTrue(message.contains("not done yet: add the items and divide by how many there are"), message)
        // The todo call is on line 7 of the learner's file, column 5.
        XCTAssertTrue(message.hasPrefix("mean.lab:7:5: error:"), message)
        XCTAssertTrue(message.contains("    todo(\"add the items"), message)
    }

    func testReferenceSolutionScoresFullMarks() throws {
        let report = try S.grade(S.meanExercise(mean: S.meanSolution, variance: S.varianceSolution), hidden: S.hiddenTests)
        XCTAssertEqual(report.score, 8, report.humanText())
        XCTAssertTrue(report.isFullMarks)
        XCTAssertTrue(report.learnerErrors.isEmpty)
    }

    func testWrongDenominatorGetsPartialMarksWithTheNumbers() throws {
        let report = try S.grade(S.meanExercise(mean: S.meanSolution, variance: S.varianceWrongDenominator))
        XCTAssertEqual(report.score, 2)
        let message = report.tests[1].message
        // 14/2 = 7 against 14/3 = 4.66667.
        XCTAssertTrue(message.contains("variance of [1, 2, 6]: got 7, expected 4.66667"), message)
        XCTAssertTrue(message.contains("difference 2.33333"), message)
    }

    func testHiddenTestsShowNamesAndResultsButNeverTheirCode() throws {
        let wrongMean = "return xs[0]"
        let report = try S.grade(S.meanExercise(mean: wrongMean, variance: S.varianceSolution), hidden: S.hiddenTests)
        let hidden = report.tests.filter(\.isHidden)
        XCTAssertEqual(hidden.map(\.name), ["mean of one number", "variance of a constant list"])
        XCTAssertEqual(hidden.map(\.passed), [true, true])
        let text = report.humanText()
        XCTAssertTrue(text.contains("mean of one number [hidden]"), text)
        XCTAssertFalse(text.contains("secret_marker"), text)

        // A failing hidden test shows its message, not its source line.
        let failing = try S.grade(S.meanExercise(mean: "return 0", variance: S.varianceSolution), hidden: S.hiddenTests)
        let message = failing.tests.first { $0.name == "mean of one number" }?.message ?? ""
        XCTAssertTrue(message.contains("SECRET-MESSAGE mean of [7]: got 0, expected 7"), message)
        XCTAssertFalse(message.contains("expect_close(mean_of"), message)
        XCTAssertFalse(failing.humanText().contains("expect_close(mean_of([7])"))
        let json = GradescopeResults(report: failing).jsonText()
        XCTAssertFalse(json.contains("secret_marker"))
        XCTAssertFalse(json.contains("expect_close(mean_of([7])"))
    }

    func testALearnerErrorPointsIntoTheLearnersFile() throws {
        let text = S.meanExercise(mean: S.meanSolution, variance: "return mean_of(xs) + missing_name")
        let line = try XCTUnwrap(S.line(of: "missing_name", in: text))
        XCTAssertEqual(line, 17)
        let report = try S.grade(text)
        XCTAssertTrue(report.tests[0].passed)
        let message = report.tests[1].message
        XCTAssertTrue(message.hasPrefix("mean.lab:17:26: error: undefined name 'missing_name'"), message)
        XCTAssertTrue(message.contains("    return mean_of(xs) + missing_name\n" + String(repeating: " ", count: 29) + "^"), message)
        XCTAssertTrue(message.contains("missing_name"), message)
    }

    func testATopLevelLearnerErrorIsReportedAndGradingGoesOn() throws {
        let text = S.meanExercise(mean: S.meanSolution, variance: S.varianceSolution,
                                  extra: "\n# %%\nbroken = [1, 2][5]\n")
        let report = try S.grade(text)
        XCTAssertEqual(report.score, 5, "the tests do not need the broken cell")
        XCTAssertEqual(report.learnerErrors.count, 1)
        let line = try XCTUnwrap(S.line(of: "broken = ", in: text))
        XCTAssertTrue(report.learnerErrors[0].rendered.hasPrefix("mean.lab:\(line):10: error: index 5 is out of range"),
                      report.learnerErrors[0].rendered)
        XCTAssertTrue(report.humanText().contains("Your code stopped with an error"))
    }

    func testAFailedVisibleTestShowsWhatItPrinted() throws {
        let text = S.meanExercise(mean: "print(\"summing\", xs)\n    return 0", variance: S.varianceSolution)
        let report = try S.grade(text, hidden: S.hiddenTests)
        let human = report.humanText()
        XCTAssertTrue(human.contains("    printed (output of the code, not of the grader):\n      │ summing [1, 2, 6]\n"), human)
        // Hidden tests' printing is not shown.
        XCTAssertFalse(human.contains("summing [7]"), human)
        XCTAssertEqual(report.tests.first { $0.name == "mean of one number" }?.printed, "summing [7]\n")
    }

    func testEachTestStartsFromTheLearnersDefinitionsNotFromEarlierTests() throws {
        let text = S.meanExercise(mean: S.meanSolution, variance: S.varianceSolution) + """
            # %% [test] points=1 name="a test sets a name"
            leaked = 1
            mean_of = 0

            # %% [test] points=1 name="the next test does not see it"
            expect(mean_of([2, 4]) == 3, "mean_of is still the learner's")
            expect(type(leaked) == "nil", "never reached")

            """
        let report = try S.grade(text)
        XCTAssertTrue(report.tests[3].message.contains("undefined"), report.tests[3].message)
        XCTAssertEqual(report.tests.map(\.passed), [true, true, true, false])
    }
}
