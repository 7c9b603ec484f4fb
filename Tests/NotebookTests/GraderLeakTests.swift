import Foundation
import LabScript
import XCTest
@testable import Notebook

/// A forbidden builtin cannot reach a test inside a learner value, and learner code cannot
/// change the values tests are given: the two ways hand-ins scored without the work.
final class GraderLeakTests: XCTestCase {
    typealias S = GraderTestSupport

    /// Every way of carrying `len` out of learner code: an alias, a list, a record, a value
    /// a function returns. The tests call each and are refused; `len` itself still works
    /// for them.
    func testARestrictedNativeIsRefusedHoweverItReachesATest() throws {
        let text = """
            # %% [exercise] id=count forbid="len"
            fn count(xs) { return 0 }
            count_items = len
            held = [len]
            box = {f: len}
            fn make() {
                g = len
                return g
            }

            # %% [test] points=1 name="alias"
            expect_equal(count_items([1, 2]), 2)

            # %% [test] points=1 name="list"
            expect_equal(held[0]([1, 2]), 2)

            # %% [test] points=1 name="record"
            expect_equal(box.f([1, 2]), 2)

            # %% [test] points=1 name="returned"
            expect_equal(make()([1, 2]), 2)

            # %% [test] points=1 name="no arguments"
            count_items()

            # %% [test] points=1 name="the test's own len"
            expect_equal(len([1, 2]), 2)

            """
        let report = try S.grade(text)
        XCTAssertEqual(report.tests.map(\.passed), [false, false, false, false, false, true], report.humanText())
        for test in report.tests.dropLast() {
            XCTAssertTrue(test.message.contains("len is not available in this exercise"), "\(test.name): \(test.message)")
        }
        // Located at the learner's line that read it.
        let aliasLine = try XCTUnwrap(S.line(of: "count_items = len", in: text))
        XCTAssertTrue(report.tests[0].message.contains("mean.lab:\(aliasLine)"), report.tests[0].message)
    }

    /// Each exercise's `forbid=` list, every name in it carried out of the learner's cell
    /// four ways: every test that calls one is refused. (The exercise's own tests run too
    /// and score 0, as for the starter.)
    func testEveryExercisesForbiddenBuiltinsAreRefusedThroughLearnerValues() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: S.exercises.path)
            .filter { $0.hasSuffix(".lab") }.sorted()
        var checked = 0
        for name in files {
            let url = S.exercises.appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
            let official = try ExerciseFile(contentsOf: url)
            let forbidden = official.exercises.flatMap { Grader.names(in: $0.cell.metadata["forbid"]) }
            guard let header = text.split(separator: "\n").first(where: { $0.hasPrefix("# %% [exercise]") }) else { continue }
            for builtin in forbidden {
                let carriers = """
                    \(header)
                    alias_probe = \(builtin)
                    alias_list = [\(builtin)]
                    alias_box = {g: \(builtin)}
                    fn alias_make() {
                        h = \(builtin)
                        return h
                    }
                    """
                let handIn = text.replacingOccurrences(of: String(header), with: carriers)
                let probes = ["alias_probe()", "alias_list[0]()", "alias_box.g()", "alias_make()()"]
                let tests = probes.enumerated().map { index, call in
                    "# %% [test] points=1 name=\"probe \(index)\"\n\(call)\n"
                }.joined(separator: "\n")
                let exercise = try ExerciseFile.handIn(try NotebookDocument(handInText: handIn, file: "work.lab"),
                                                       official: official)
                    .merging(hiddenTests: try NotebookDocument(parsing: tests, file: "probes.tests.lab"))
                let report = Grader(options: GraderExerciseTests.options, makeSession: ScriptSession.standard).grade(exercise)
                XCTAssertEqual(report.score, 0, "\(name), \(builtin):\n" + report.humanText())
                let probeResults = report.tests.filter { $0.name.hasPrefix("probe ") }
                XCTAssertEqual(probeResults.count, 4)
                for result in probeResults {
                    XCTAssertTrue(result.message.contains("\(builtin) is not available in this exercise"),
                                  "\(name), \(builtin), \(result.name): \(result.message)")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 20, "every exercise's forbid= list")
    }

    /// The review's hand-ins: the exercise's own name bound to the forbidden builtin.
    func testAliasHandInsOfTheReviewScoreNothing() throws {
        let cases: [(String, [String: String])] = [
            ("02-nt-xent", ["nt_xent_loss": "nt_xent"]),
            ("03-barlow-twins", ["standardize_columns": "standardize", "correlation_matrix": "cross_correlation",
                                 "barlow_twins_loss": "barlow_twins"]),
        ]
        for (exercise, aliases) in cases {
            let url = S.exercises.appendingPathComponent("\(exercise).lab")
            var text = try String(contentsOf: url, encoding: .utf8)
            // Each function the learner should write becomes the alias, in its own cell.
            for (learnerName, builtin) in aliases {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                let start = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("fn \(learnerName)(") }, learnerName)
                let end = try XCTUnwrap(lines[start...].firstIndex { $0 == "}" }, learnerName)
                text = (lines[..<start] + ["\(learnerName) = \(builtin)"] + lines[(end + 1)...]).joined(separator: "\n")
            }
            let tests = S.exercises.appendingPathComponent("tests/\(exercise).tests.lab")
            let merged = try ExerciseFile.handIn(try NotebookDocument(handInText: text, file: "work.lab"),
                                                 official: try ExerciseFile(contentsOf: url))
                .merging(hiddenTests: try NotebookDocument(contentsOf: tests))
            let report = Grader(options: GraderExerciseTests.options, makeSession: ScriptSession.standard).grade(merged)
            XCTAssertEqual(report.score, 0, "\(exercise):\n" + report.humanText())
            XCTAssertTrue(report.tests.contains { $0.message.contains("is not available in this exercise") },
                          report.humanText())
        }
    }

    /// Round 1's case: the learner's loss zeroes the official global `x` in place, so
    /// "the hand gradient matches backward" would compare zeros with zeros. Tests get
    /// their own copies of the globals as they were before any test ran.
    func testLearnerCodeThatMutatesAGlobalDoesNotFoolLaterTests() throws {
        let exercise = "01-backward"
        let url = S.exercises.appendingPathComponent("\(exercise).lab")
        var text = try String(contentsOf: url, encoding: .utf8)
        for (function, body) in [
            ("loss", "for i in 0..4 {\n        x[i] = x[i] * 0\n    }\n    return mean((tanh(a @ w) - y) ^ 2)"),
            ("grad_w", "return zeros(3, 2)"),
        ] {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let start = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("fn \(function)(") })
            let end = try XCTUnwrap(lines[start...].firstIndex { $0 == "}" })
            let replaced = ["fn \(function)(a, w, y) {", "    " + body, "}"]
            text = (lines[..<start] + replaced + lines[(end + 1)...]).joined(separator: "\n")
        }
        let merged = try ExerciseFile.handIn(try NotebookDocument(handInText: text, file: "work.lab"),
                                             official: try ExerciseFile(contentsOf: url))
        let report = Grader(options: GraderExerciseTests.options, makeSession: ScriptSession.standard).grade(merged)
        let byName = Dictionary(uniqueKeysWithValues: report.tests.map { ($0.name, $0) })
        // The loss itself is right, so its tests pass...
        XCTAssertEqual(byName["the loss matches the formula"]?.passed, true, report.humanText())
        // ...but zeros are not the gradient, whatever the loss did to x.
        XCTAssertEqual(byName["the hand gradient matches backward"]?.passed, false, report.humanText())
        XCTAssertEqual(byName["the hand gradient has the shape of w"]?.passed, false, report.humanText())
    }
}
