import Foundation
import LabSupport
import LabScript
import XCTest
@testable import Notebook

/// What the grader writes and returns: Gradescope results, the exit status of
/// `selfsup grade`, the progress file, the exercise list and hints.
final class GraderOutputTests: XCTestCase {
    typealias S = GraderTestSupport

    /// The fields of Gradescope's autograder specification ("Autograder Specifications",
    /// results.json): top level and per test, with their types.
    static let topLevelFields: Set<String> = ["score", "execution_time", "output", "output_format", "test_output_format",
                                              "test_name_format", "visibility", "stdout_visibility", "extra_data",
                                              "tests", "leaderboard"]
    static let testFields: Set<String> = ["score", "max_score", "status", "name", "name_format", "number", "output",
                                          "output_format", "tags", "visibility", "extra_data"]

    /// Checks a results.json against the specification; returns the problems found.
    static func validate(_ json: Any) -> [String] {
        var problems: [String] = []
        guard let top = json as? [String: Any] else { return ["not a JSON object"] }
        for key in Set(top.keys).subtracting(topLevelFields) { problems.append("unknown top-level field \(key)") }
        guard top["score"] is NSNumber else { return problems + ["score is not a number"] }
        if let time = top["execution_time"], !(time is NSNumber) { problems.append("execution_time is not a number") }
        if let output = top["output"], !(output is String) { problems.append("output is not a string") }
        guard let tests = top["tests"] as? [[String: Any]] else { return problems + ["tests is not a list of objects"] }
        var total = 0.0
        for (n, test) in tests.enumerated() {
            for key in Set(test.keys).subtracting(testFields) { problems.append("test \(n): unknown field \(key)") }
            guard let score = (test["score"] as? NSNumber)?.doubleValue,
                  let maxScore = (test["max_score"] as? NSNumber)?.doubleValue else {
                problems.append("test \(n): score and max_score must be numbers"); continue
            }
            if score < 0 || score > maxScore { problems.append("test \(n): score \(score) outside 0…\(maxScore)") }
            total += score
            if !(test["name"] is String) { problems.append("test \(n): name is not a string") }
            if !(test["output"] is String) { problems.append("test \(n): output is not a string") }
            if let status = test["status"] as? String, !["passed", "failed"].contains(status) { problems.append("test \(n): status \(status)") }
            if let visibility = test["visibility"] as? String, !GradescopeResults.visibilities.contains(visibility) {
                problems.append("test \(n): visibility \(visibility)")
            }
        }
        if abs(total - (top["score"] as? NSNumber ?? 0).doubleValue) > 1e-9 { problems.append("score is not the sum of the tests") }
        return problems
    }

    func partialReport() throws -> GradeReport {
        try S.grade(S.meanExercise(mean: S.meanSolution, variance: S.varianceWrongDenominator), hidden: S.hiddenTests)
    }

    /// A test name wider than the name column (48 display columns) wraps by display width and
    /// its score stands in the column on its last line; Chinese names break between characters.
    func testLongTestNamesWrapAndKeepTheScoreColumn() {
        let long = "meters: the spread and the rank of the centred outputs and one more clause"
        let chinese = "度量：中心化输出的离散程度与秩，以及把它们和健康训练相比较的另一个长长的分句"
        let report = GradeReport(file: "w.lab", testsFile: nil, tests: [
            TestResult(name: "short", points: 1, maxPoints: 1, passed: true, message: "", isHidden: false),
            TestResult(name: long, points: 2, maxPoints: 2, passed: true, message: "", isHidden: false),
            TestResult(name: chinese, points: 0, maxPoints: 3, passed: false, message: "wrong", isHidden: false),
        ], learnerErrors: [], shadowedNames: [], seconds: 0)
        let lines = report.humanText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let scored = lines.filter { $0.hasSuffix("1/1") || $0.hasSuffix("2/2") || $0.hasSuffix("0/3") }
        XCTAssertEqual(scored.count, 3, lines.joined(separator: "\n"))
        // Every score starts in the same column (48 for the names, 2 for the mark, 2 apart).
        for line in scored { XCTAssertEqual(line.displayWidth - 3, 2 + 48 + 2, line) }
        for line in lines where line.hasPrefix("✓ ") || line.hasPrefix("✗ ") || line.hasPrefix("  ") {
            XCTAssertLessThanOrEqual(line.displayWidth, 2 + 48 + 2 + 3, line)
        }
        // No word is lost: the wrapped lines hold the whole name.
        let english = lines.drop { !$0.hasPrefix("✓ meters") }.prefix(2).joined(separator: " ")
            .split(separator: " ").joined(separator: " ")
        XCTAssertTrue(english.hasPrefix("✓ " + long + " 2/2"), english)
        XCTAssertTrue(lines.joined().replacingOccurrences(of: " ", with: "").contains(chinese.replacingOccurrences(of: " ", with: "")), lines.joined(separator: "\n"))
    }

    /// A hidden test's marker ("[隐藏]" in Chinese, "[hidden]" in English) never breaks across
    /// lines, whatever the length of the name before it, and the score keeps its column.
    func testTheHiddenMarkerNeverBreaks() {
        let saved = Messages.language
        defer { Messages.language = saved }
        let characters = Array("度量中心化输出的离散程度与秩以及把它们和健康训练相比较的另一个长长的分句还有更多的字来凑满两行")
        for (language, marker) in [(Language.zh, "[隐藏]"), (.en, "[hidden]")] {
            Messages.language = language
            for count in 40...characters.count {
                let name = String(characters.prefix(count))
                let report = GradeReport(file: "w.lab", testsFile: nil, tests: [
                    TestResult(name: name, points: 1, maxPoints: 2, passed: true, message: "", isHidden: true),
                ], learnerErrors: [], shadowedNames: [], seconds: 0)
                let text = report.humanText()
                let lines = text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("✓ ") || $0.hasPrefix("  ") }
                XCTAssertTrue(lines.contains { $0.contains(marker) }, "\(count): the marker is broken in\n\(text)")
                XCTAssertEqual(lines.joined().replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "✓", with: ""),
                               name + marker + "1/2", text)
                let scored = lines.filter { $0.hasSuffix("1/2") }
                XCTAssertEqual(scored.count, 1, text)
                XCTAssertEqual(scored.first.map { $0.displayWidth - 3 }, 2 + 48 + 2, text)
                for line in lines { XCTAssertLessThanOrEqual(line.displayWidth, 2 + 48 + 2 + 3, line) }
            }
        }
    }

    func testGradescopeResultsHaveExactlyTheDocumentedFields() throws {
        let results = GradescopeResults(report: try partialReport())
        let json = try JSONSerialization.jsonObject(with: Data(results.jsonText().utf8))
        XCTAssertEqual(GraderOutputTests.validate(json), [])
        let top = try XCTUnwrap(json as? [String: Any])
        XCTAssertEqual(Set(top.keys), ["score", "execution_time", "output", "tests"])
        let tests = try XCTUnwrap(top["tests"] as? [[String: Any]])
        XCTAssertEqual(tests.count, 4)
        for test in tests { XCTAssertEqual(Set(test.keys), ["name", "score", "max_score", "status", "output", "visibility"]) }
        XCTAssertEqual(top["score"] as? Double, 5)
        XCTAssertEqual(tests.map { $0["visibility"] as? String }, ["visible", "visible", "after_due_date", "after_due_date"])
        XCTAssertEqual(tests.map { $0["status"] as? String }, ["passed", "failed", "passed", "passed"])
        XCTAssertEqual(tests[1]["max_score"] as? Double, 3)
        XCTAssertTrue((tests[1]["output"] as? String ?? "").contains("got 7, expected 4.66667"))
    }

    func testTheValidatorRejectsWhatGradescopeWouldNot() {
        XCTAssertFalse(GraderOutputTests.validate(["score": 1, "max_score": 2, "tests": []]).isEmpty)
        XCTAssertFalse(GraderOutputTests.validate(["score": 1, "tests": [["name": "a", "score": 3, "max_score": 2, "output": ""]]]).isEmpty)
        XCTAssertFalse(GraderOutputTests.validate(["score": 1, "tests": [["name": "a", "score": 1, "max_score": 2, "output": "",
                                                                          "visibility": "secret"]]]).isEmpty)
        XCTAssertFalse(GraderOutputTests.validate(["score": 2, "tests": [["name": "a", "score": 1, "max_score": 2, "output": ""]]]).isEmpty)
        XCTAssertEqual(GraderOutputTests.validate(["score": 1, "tests": [["name": "a", "score": 1, "max_score": 2, "output": ""]]]), [])
    }

    func testGradeCommandExitStatusAndResultsFile() throws {
        let directory = try S.temporaryDirectory()
        // The official exercise and its hidden tests, where `selfsup grade` looks them up.
        let exercises = directory.appendingPathComponent("Exercises")
        try FileManager.default.createDirectory(at: exercises.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try S.meanExercise().write(to: exercises.appendingPathComponent("mean.lab"), atomically: true, encoding: .utf8)
        let tests = exercises.appendingPathComponent("tests/mean.tests.lab")
        try S.hiddenTests.write(to: tests, atomically: true, encoding: .utf8)
        let file = directory.appendingPathComponent("my-work.lab")
        let json = directory.appendingPathComponent("results.json")
        try S.meanExercise(mean: S.meanSolution, variance: S.varianceWrongDenominator).write(to: file, atomically: true, encoding: .utf8)
        let store = ProgressStore(directory: directory.appendingPathComponent("home"))

        let graded = GradeCommand.run(GradeRequest(file: file, jsonPath: json, options: S.quick, progress: store,
                                                   exercisesDirectory: exercises),
                                      makeSession: ScriptSession.languageOnly)
        XCTAssertEqual(graded.status, 0, "grading finished: 0 whatever the score")
        XCTAssertEqual(graded.report?.score, 5, graded.text)
        XCTAssertTrue(graded.text.contains("Score: 5/8"), "the hidden tests are found by default:\n" + graded.text)
        XCTAssertTrue(graded.text.contains("against \(exercises.path)/mean.lab"), graded.text)
        XCTAssertTrue(graded.text.contains("✗ variance divides by n"), graded.text)
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: json))
        XCTAssertEqual(GraderOutputTests.validate(written), [])
        // Written atomically: no temporary file is left beside it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }, [])
        XCTAssertEqual(try store.load().entry(for: "mean").state, .failing, "progress is kept under the official exercise")

        let strict = GradeCommand.run(GradeRequest(file: file, testsFile: tests, strict: true, options: S.quick,
                                                   exercisesDirectory: exercises),
                                      makeSession: ScriptSession.languageOnly)
        XCTAssertEqual(strict.status, 1, "strict: 1 unless full marks")

        try S.meanExercise(mean: S.meanSolution, variance: S.varianceSolution).write(to: file, atomically: true, encoding: .utf8)
        let full = GradeCommand.run(GradeRequest(file: file, strict: true, options: S.quick, progress: store,
                                                 exercisesDirectory: exercises),
                                    makeSession: ScriptSession.languageOnly)
        XCTAssertEqual(full.status, 0)
        let entry = try store.load().entry(for: "mean")
        XCTAssertEqual(entry.state, .passing)
        XCTAssertEqual(entry.bestScore, 8)

        // The learner's visible tests (here weakened) never count, found or named.
        try S.meanExercise(mean: "return 0", variance: "return 0")
            .replacingOccurrences(of: "expect_close(mean_of([1, 2, 6]), 3)", with: "expect(true)")
            .write(to: file, atomically: true, encoding: .utf8)
        let own = GradeCommand.run(GradeRequest(file: file, options: S.quick, exercisesDirectory: exercises),
                                   makeSession: ScriptSession.languageOnly)
        XCTAssertEqual(own.report?.score, 2, "only the hidden constant-list test passes:\n" + own.text)
        XCTAssertEqual(own.report?.maxScore, 8, own.text)
        let official = directory.appendingPathComponent("official.lab")
        try S.meanExercise().write(to: official, atomically: true, encoding: .utf8)
        let checked = GradeCommand.run(GradeRequest(file: file, options: S.quick, officialFile: official),
                                       makeSession: ScriptSession.languageOnly)
        XCTAssertEqual(checked.status, 0)
        XCTAssertEqual(checked.report?.score, 0)
        XCTAssertEqual(checked.report?.maxScore, 5, "no tests folder beside official.lab: visible tests only")

        let missing = GradeCommand.run(GradeRequest(file: directory.appendingPathComponent("nope.lab"), exercisesDirectory: exercises),
                                       makeSession: ScriptSession.languageOnly)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.text.hasPrefix("cannot grade: "), missing.text)

        let badTests = directory.appendingPathComponent("bad.tests.lab")
        try "# %% [markdown]\n# Teacher.\n\n# %%\nx = 1\n".write(to: badTests, atomically: true, encoding: .utf8)
        let bad = GradeCommand.run(GradeRequest(file: file, testsFile: badTests, exercisesDirectory: exercises),
                                   makeSession: ScriptSession.languageOnly)
        XCTAssertEqual(bad.status, 2, "a tests file may hold only tests and prose")
        XCTAssertTrue(bad.text.contains("bad.tests.lab:4"), bad.text)
    }

    func testProgressFileRoundTripAndBestScore() throws {
        let store = ProgressStore(directory: try S.temporaryDirectory().appendingPathComponent("nested/dir"))
        XCTAssertEqual(try store.load(), ExerciseProgress(), "no file yet: empty progress")
        let partial = try partialReport()
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try store.update { $0.record(partial, for: "mean", at: date) }
        var loaded = try store.load()
        XCTAssertEqual(loaded.entry(for: "mean"), ExerciseProgress.Entry(state: .failing, bestScore: 5, maxScore: 8,
                                                                         hintsSeen: 0, lastGraded: "2027-01-15T08:00:00Z"))
        // A worse later attempt keeps the best score; full marks once stays passing.
        var worse = partial
        worse.tests = worse.tests.map { var t = $0; t.points = 0; t.passed = false; return t }
        loaded.record(worse, for: "mean", at: date)
        XCTAssertEqual(loaded.entry(for: "mean").bestScore, 5)
        var full = partial
        full.tests = full.tests.map { var t = $0; t.points = t.maxPoints; t.passed = true; return t }
        loaded.record(full, for: "mean", at: date)
        loaded.record(worse, for: "mean", at: date)
        XCTAssertEqual(loaded.entry(for: "mean").state, .passing)
        try store.save(loaded)
        XCTAssertEqual(try store.load(), loaded)
        let text = try String(contentsOf: store.url, encoding: .utf8)
        XCTAssertTrue(text.contains("\"best_score\" : 8"), text)
        XCTAssertTrue(text.contains("\"state\" : \"passing\""), text)

        try "not json".write(to: store.url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try store.load()) { error in
            XCTAssertTrue(String(describing: error).contains("move it away to start afresh"))
        }
    }

    func testStandardProgressLocation() {
        XCTAssertEqual(ProgressStore.standard(environment: ["SELFSUP_HOME": "/tmp/lab"]).url.path, "/tmp/lab/progress.json")
        XCTAssertTrue(ProgressStore.standard(environment: [:]).url.path.hasSuffix("/.selfsup/progress.json"))
    }

    func testHintsComeInOrderAndAreRemembered() throws {
        let directory = try S.temporaryDirectory()
        let file = directory.appendingPathComponent("03-mean.lab")
        try S.meanExercise().write(to: file, atomically: true, encoding: .utf8)
        let store = ProgressStore(directory: directory)
        let first = try ExerciseHints.next(file: file, store: store)
        XCTAssertEqual(first.number, 1)
        XCTAssertEqual(first.total, 2)
        XCTAssertEqual(first.exerciseID, "mean")
        XCTAssertEqual(first.markdown, "Add the items in a `for` loop.")
        XCTAssertTrue(first.text.hasPrefix("Hint 1 of 2 (exercise mean):"), first.text)
        let second = try ExerciseHints.next(file: file, store: store)
        XCTAssertEqual(second.exerciseID, "variance")
        XCTAssertEqual(second.markdown, "Divide by `len(xs)`, not `len(xs) - 1`.")
        let none = try ExerciseHints.next(file: file, store: store)
        XCTAssertNil(none.markdown)
        XCTAssertTrue(none.text.contains("you have seen all 2"), none.text)
        XCTAssertEqual(try store.load().entry(for: "03-mean").hintsSeen, 2)
    }

    func testExerciseTableShowsStateAndBestScore() throws {
        var progress = ExerciseProgress()
        progress.exercises["02-nt-xent"] = ExerciseProgress.Entry(state: .failing, bestScore: 3, maxScore: 9)
        let (listings, _) = ExerciseCatalog.list(directory: S.exercises, progress: progress)
        XCTAssertEqual(listings.map(\.state), listings.map { $0.key == "02-nt-xent" ? .failing : .notStarted })
        XCTAssertGreaterThanOrEqual(listings.count, 5)
        let table = ExerciseCatalog.table(listings)
        XCTAssertTrue(table.hasPrefix("  exercise"), table)
        // 80 columns at most, titles cut by display width; rows grouped under lesson titles.
        for line in table.split(separator: "\n") { XCTAssertLessThanOrEqual(line.displayWidth, 80, String(line)) }
        XCTAssertTrue(table.contains("\n4. Contrastive learning as dictionary look-up\n  02-nt-xent "), table)
        XCTAssertTrue(table.contains("02-nt-xent"), table)
        XCTAssertTrue(table.contains("failing"), table)
        XCTAssertTrue(table.contains("3/9"), table)
        XCTAssertTrue(table.hasSuffix("0 of \(listings.count) exercises passing\n"), table)
    }
}
