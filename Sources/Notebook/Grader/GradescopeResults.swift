import Foundation
import LabSupport

/// Gradescope's `results.json` (the autograder specification's format):
///
///     { "score": 3, "execution_time": 1.2, "output": "…",
///       "tests": [ { "name": "…", "score": 2, "max_score": 2, "status": "passed",
///                    "output": "…", "visibility": "visible" }, … ] }
///
/// Only fields of Gradescope's autograder specification are written. It has no top-level
/// `max_score` (the total is the sum of the tests' `max_score`), so none is written here.
/// Visible tests are `visible`; a teacher's hidden tests are `after_due_date` by default
/// (Gradescope's other values are `hidden` and `after_published`). The output of a hidden
/// test is its check's message, never its code.
public struct GradescopeResults: Codable, Sendable, Equatable {
    public struct Test: Codable, Sendable, Equatable {
        public var name: String
        public var score: Double
        public var max_score: Double
        public var status: String
        public var output: String
        public var visibility: String
    }

    public var score: Double
    public var execution_time: Double
    public var output: String
    public var tests: [Test]

    /// Gradescope's allowed visibility values.
    public static let visibilities: Set<String> = ["hidden", "after_due_date", "after_published", "visible"]

    public init(report: GradeReport, hiddenVisibility: String = "after_due_date") {
        precondition(GradescopeResults.visibilities.contains(hiddenVisibility),
                     "hiddenVisibility must be one of \(GradescopeResults.visibilities.sorted())")
        score = Double(report.score)
        execution_time = (report.seconds * 1000).rounded() / 1000
        var summary = "\(report.passedCount) of \(report.tests.count) tests passed: \(report.score)/\(report.maxScore) points."
        if !report.learnerErrors.isEmpty {
            summary += "\n\nYour code stopped with an error:\n" + report.learnerErrors.map(\.rendered).joined(separator: "\n")
        }
        output = summary
        tests = report.tests.map { test in
            Test(name: test.name, score: Double(test.points), max_score: Double(test.maxPoints),
                 status: test.passed ? "passed" : "failed", output: test.message,
                 visibility: test.isHidden ? hiddenVisibility : "visible")
        }
    }

    /// The JSON text (keys sorted, indented, ending with a newline).
    public func jsonText() -> String { sortedJSONText() }

    /// Writes `results.json` atomically.
    public func write(to url: URL) throws(FileWriteError) {
        try AtomicFile.write(jsonText(), to: url)
    }
}
