import Foundation
import XCTest
@testable import Notebook

/// Exercise 09 (the masked-token loss) with its teacher's tests: the starter and a
/// "return zeros" hand-in score 0, the reference full marks, and each plausible mistake
/// partial marks with a message naming it.
final class GraderMaskedTokenTests: XCTestCase {
    typealias S = GraderTestSupport
    let exercise = "09-masked-token"

    func grade(_ text: String, file: String) throws -> GradeReport {
        let tests = S.exercises.appendingPathComponent("tests/\(exercise).tests.lab")
        let merged = try ExerciseFile(parsing: text, file: file).merging(hiddenTests: try NotebookDocument(contentsOf: tests))
        return Grader(options: GraderOptions(testTimeLimit: 10, learnerCellTimeLimit: 10), makeSession: ScriptSession.standard).grade(merged)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: S.exercises.appendingPathComponent(path), encoding: .utf8)
    }

    func testStarterAndZeroResultsScoreNothingAndTheReferenceEverything() throws {
        let starter = try read("\(exercise).lab")
        let start = try grade(starter, file: "\(exercise).lab")
        XCTAssertEqual(start.score, 0, start.humanText())
        XCTAssertEqual(start.tests.count, 7)
        // Every todo replaced by a zero result: nothing may pass.
        var zeros = starter
        for todo in ["todo(\"select one position per sentence: multiply by a one-hot [B, L, 1] mask and sum over the positions\")",
                     "todo(\"log_softmax over the vocabulary of the masked scores, then the mean of −(the target's entry)\")"] {
            XCTAssertTrue(zeros.contains(todo), todo)
            zeros = zeros.replacingOccurrences(of: todo, with: "return zeros(rows(logits), cols(logits))")
        }
        let zero = try grade(zeros, file: "zeros.lab")
        XCTAssertEqual(zero.score, 0, zero.humanText())
        let scalarZero = try grade(starter.replacingOccurrences(of: "todo(\"log_softmax over the vocabulary of the masked scores, then the mean of −(the target's entry)\")",
                                                                with: "return tensor(0)"), file: "scalar-zero.lab")
        XCTAssertEqual(scalarZero.score, 0, scalarZero.humanText())

        let reference = try grade(try read("solutions/\(exercise).lab"), file: "solution.lab")
        XCTAssertTrue(reference.isFullMarks, reference.humanText())
        XCTAssertEqual(reference.shadowedNames, [])
    }

    func testPlausibleMistakesScorePartialMarksAndAreNamed() throws {
        for (name, message) in [("wrong-axis", "your softmax normalises over the positions (axis 1)"),
                                ("sum-not-mean", "average over the sentences instead of summing")] {
            let report = try grade(try read("wrong/\(exercise).\(name).lab"), file: "\(name).lab")
            XCTAssertTrue((1..<report.maxScore).contains(report.score), "\(name):\n" + report.humanText())
            XCTAssertTrue(report.tests.contains { !$0.passed && $0.message.contains(message) }, "\(name):\n" + report.humanText())
        }
    }
}
