import Foundation
import XCTest
@testable import Notebook

/// The class's files from records: the gradebook's columns and quoting, the summary's
/// sections, and names from hand-ins written as text, never as markup or formulas.
final class ClassResultsTests: XCTestCase {
    func record(_ student: String, exercise: String, points: [(name: String, earned: Int, max: Int)],
                status: HandInRecord.Status = .graded, reason: String? = nil, seconds: Double = 1) -> HandInRecord {
        var record = HandInRecord(student: student, handIn: "/class/\(student).lab", status: status, reason: reason)
        record.exercise = exercise
        record.file = "/class/\(student).lab"
        record.seconds = seconds
        record.tests = points.map { test in
            HandInRecord.Test(name: test.name, points: test.earned, maxPoints: test.max, hidden: false, ran: true,
                              passed: test.earned == test.max, timedOut: false, seconds: 0.1,
                              message: test.earned == test.max ? "passed" : "/class/\(student).lab:3:1: wrong sign", printed: "")
        }
        return record
    }

    func testTheGradebookHasAColumnPerTestAndDefusesFormulas() {
        let results = ClassResults(records: [
            record("=HYPERLINK(\"x\")", exercise: "02-nt-xent", points: [("shape", 1, 1), ("value, at 0.5", 0, 2)]),
            record("ann", exercise: "02-nt-xent", points: [("shape", 1, 1), ("value, at 0.5", 2, 2)]),
            record("bo", exercise: "03-barlow-twins", points: [("loss", 3, 3)], status: .stopped, reason: "it ran longer"),
            HandInRecord(student: "cy", handIn: nil, status: .noHandIn, reason: "no .lab or .ipynb file in the folder cy"),
        ])
        let lines = Gradebook.csv(results).components(separatedBy: "\r\n")
        XCTAssertEqual(lines[0], "student,exercise,score,max,02-nt-xent: shape,\"02-nt-xent: value, at 0.5\",03-barlow-twins: loss,status,reason,seconds")
        XCTAssertEqual(lines[1], #""'=HYPERLINK(""x"")",02-nt-xent,1,3,1,0,,graded,,1.00"#)
        XCTAssertEqual(lines[2], "ann,02-nt-xent,3,3,1,2,,graded,,1.00")
        XCTAssertEqual(lines[3], "bo,03-barlow-twins,3,3,,,3,stopped,it ran longer,1.00")
        XCTAssertEqual(lines[4], "cy,,0,,,,,no hand-in,no .lab or .ipynb file in the folder cy,0.00")
        XCTAssertEqual(lines.count, 6, "a line end after the last row")
    }

    func testTheSummaryHasAHistogramPassRatesFailuresAndExtraSections() {
        let results = ClassResults(records: [
            record("<b>ann</b>", exercise: "02-nt-xent", points: [("shape", 1, 1), ("value", 0, 2)], seconds: 3),
            record("bo", exercise: "02-nt-xent", points: [("shape", 1, 1), ("value", 0, 2)], seconds: 0.5),
            record("cy", exercise: "02-nt-xent", points: [("shape", 0, 1), ("value", 2, 2)], status: .stopped,
                   reason: "it used more than the limit of 30 s of CPU time (--cpu-limit)"),
        ], jobs: 2, limits: "Limits per hand-in: …")
        let extra = ClassSummarySection(title: "Similar hand-ins", markdown: "No pair flagged.", html: "<p>No pair flagged.</p>")
        let markdown = ClassSummary.markdown(results, sections: [extra])
        let html = ClassSummary.html(results, sections: [extra])
        for text in [markdown, html] {
            XCTAssertTrue(text.contains("3 hand-ins, 2 at a time"), text)
            XCTAssertTrue(text.contains("2/3") && text.contains("67%"), "shape passed by 2 of 3")
            // The same mistake in two students' files is one message, the hand-in's path taken out.
            XCTAssertTrue(text.contains("wrong sign (2×)"), text)
            XCTAssertFalse(text.contains("/class/bo.lab"), text)
            XCTAssertTrue(text.contains("Similar hand-ins") && text.contains("No pair flagged."), text)
            XCTAssertTrue(text.contains("--cpu-limit"), "the reason of the stopped hand-in")
        }
        XCTAssertTrue(markdown.contains("```text\n"), "the histogram as text")
        XCTAssertTrue(html.contains("<svg") && html.contains("<p>No pair flagged.</p>"))
        XCTAssertTrue(html.contains("&lt;b&gt;ann&lt;/b&gt;") && !html.contains("<b>ann</b>"), "a student's name is text")
        XCTAssertTrue(markdown.contains("\\<b>ann\\</b>"), markdown)
        // The slowest hand-in first.
        let slowest = try? XCTUnwrap(markdown.range(of: "## Slowest hand-ins"))
        XCTAssertNotNil(slowest)
        if let slowest {
            let after = markdown[slowest.upperBound...]
            XCTAssertLessThan(try XCTUnwrap(after.range(of: "ann")).lowerBound, try XCTUnwrap(after.range(of: "| bo")).lowerBound)
        }
    }

    /// A record saved after some tests, then stopped: the tests left fail with the reason,
    /// and the report and Gradescope results say so.
    func testAStoppedRecordKeepsItsCompletedTests() throws {
        var record = self.record("ann", exercise: "02-nt-xent", points: [("shape", 1, 1), ("value", 2, 2), ("hidden", 1, 1)])
        record.tests[1].ran = false
        record.tests[2].ran = false
        record.stop(.stopped, reason: "it ran longer than the limit of 30 s (--time-limit)")
        XCTAssertEqual(record.tests.map(\.points), [1, 0, 0])
        XCTAssertEqual(record.score, 1)
        XCTAssertEqual(record.maxScore, 4)
        XCTAssertTrue(record.tests[2].message.contains("--time-limit"))
        XCTAssertTrue(record.reportText.hasPrefix("Not graded in full (stopped): it ran longer"), record.reportText)
        XCTAssertTrue(record.reportText.contains("Score: 1/4"), record.reportText)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("record-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: folder) }
        try record.write(to: folder)
        XCTAssertEqual(HandInRecord.read(from: folder), record)
        XCTAssertNil(HandInRecord.read(from: folder, maxBytes: 10), "a record larger than allowed is not read")
    }
}
