import Foundation
import LabSupport

/// What class grading knows of one student's hand-in: the exercise, every test with its
/// result (or that it did not run), and how the grading ended. The hand-in's own process
/// (`selfsup grade`'s worker) writes it as `grading.json` in the student's results folder
/// before the first test and again after every test, atomically, so when a limit stops
/// that process the marks of the tests it completed are on disk; the class run then
/// finishes the record (the tests left are failed with the reason) and writes the
/// student's `results.json` and `report.txt` from it. The gradebook and the summary read
/// the records.
///
///     { "student": "alice", "hand_in": "class/alice.lab", "exercise": "02-nt-xent",
///       "status": "graded", "reason": null, "seconds": 0.8,
///       "tests": [ { "name": "…", "points": 1, "max_points": 1, "ran": true, "passed": true, … } ], … }
public struct HandInRecord: Codable, Sendable, Equatable {
    /// How a hand-in's grading ended. The raw values are the gradebook's `status` column.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// The worker is still grading it (a record left in this state was cut short).
        case running
        /// Graded within the limits: the score is what grading the file alone gives.
        case graded
        /// Stopped by a limit (time, CPU, memory, output): the tests it completed keep their marks.
        case stopped
        /// Its grading process died otherwise (a signal, an unexpected exit).
        case crashed
        /// It could not be graded (no known exercise, unreadable, several hand-ins in a folder).
        case refused
        /// A student folder with no `.lab` or `.ipynb` file in it.
        case noHandIn = "no hand-in"
    }

    public struct Test: Codable, Sendable, Equatable {
        public var name: String
        public var points: Int
        public var maxPoints: Int
        public var hidden: Bool
        /// Whether the test ran to its end (pass or fail); false for the tests a stopped grading never reached.
        public var ran: Bool
        public var passed: Bool
        public var timedOut: Bool
        public var seconds: Double
        /// Why it failed ("passed" when it passed), as the report shows it.
        public var message: String
        /// What the test printed, cut to `HandInRecord.maxPrintedBytes`.
        public var printed: String

        enum CodingKeys: String, CodingKey {
            case name, points, maxPoints = "max_points", hidden, ran, passed, timedOut = "timed_out", seconds, message, printed
        }
    }

    public struct LearnerError: Codable, Sendable, Equatable {
        public var line: Int
        public var rendered: String
    }

    public var student: String
    /// The hand-in file as the class run named it; nil when the student handed in none.
    public var handIn: String?
    /// The official exercise's key (`02-nt-xent`), once the hand-in was matched to one.
    public var exercise: String?
    /// The files of the report's first line: the hand-in as graded, the official exercise, the hidden tests.
    public var file: String?
    public var officialFile: String?
    public var testsFile: String?
    public var status: Status
    /// Why the grading did not end normally (stopped, crashed, refused, no hand-in).
    public var reason: String?
    /// Wall-clock seconds the hand-in's process ran (0 when none ran).
    public var seconds: Double
    public var tests: [Test]
    public var learnerErrors: [LearnerError]
    public var shadowedNames: [String]
    /// Lines the grading printed before the report (e.g. a missing exercise cell).
    public var warnings: String

    enum CodingKeys: String, CodingKey {
        case student, handIn = "hand_in", exercise, file, officialFile = "official_file", testsFile = "tests_file"
        case status, reason, seconds, tests, learnerErrors = "learner_errors", shadowedNames = "shadowed_names", warnings
    }

    /// At most this much of what one test printed is kept (the report shows 20 lines).
    public static let maxPrintedBytes = 4096

    public init(student: String, handIn: String?, status: Status, reason: String? = nil) {
        self.student = student
        self.handIn = handIn
        self.status = status
        self.reason = reason
        seconds = 0
        tests = []
        learnerErrors = []
        shadowedNames = []
        warnings = ""
    }

    public var score: Int { tests.reduce(0) { $0 + $1.points } }
    /// The exercise's total, when the exercise is known.
    public var maxScore: Int? { tests.isEmpty ? nil : tests.reduce(0) { $0 + $1.maxPoints } }

    /// The exercise's tests, none run yet.
    public mutating func plan(_ exercise: ExerciseFile, official: URL) {
        self.exercise = ExerciseProgress.key(for: official)
        officialFile = exercise.setupFile
        file = exercise.document.file
        testsFile = exercise.tests.first(where: \.isHidden)?.file
        tests = exercise.tests.map { test in
            Test(name: test.name, points: 0, maxPoints: test.points, hidden: test.isHidden, ran: false, passed: false,
                 timedOut: false, seconds: 0, message: "", printed: "")
        }
    }

    /// Takes the results of a report, complete or so far: its tests, in order, replace
    /// the first planned ones (a report with more tests than planned, as a plain grading
    /// without a plan, sets them all).
    public mutating func take(_ report: GradeReport) {
        file = report.file
        officialFile = report.officialFile
        testsFile = report.testsFile
        learnerErrors = report.learnerErrors.map { LearnerError(line: $0.line, rendered: $0.rendered) }
        shadowedNames = report.shadowedNames
        for (index, result) in report.tests.enumerated() {
            let test = Test(name: result.name, points: result.points, maxPoints: result.maxPoints, hidden: result.isHidden,
                            ran: true, passed: result.passed, timedOut: result.timedOut, seconds: result.seconds,
                            message: result.message, printed: HandInRecord.cut(result.printed))
            if index < tests.count { tests[index] = test } else { tests.append(test) }
        }
    }

    /// Ends a grading that did not finish: the tests that never ran fail with `reason`.
    public mutating func stop(_ status: Status, reason: String) {
        self.status = status
        self.reason = reason
        for index in tests.indices where !tests[index].ran {
            tests[index].points = 0
            tests[index].passed = false
            tests[index].message = Messages.text("not run: {reason}", ["reason": reason])
        }
    }

    /// The reason on one line, sanitised (control characters shown as `^X`), for a terminal
    /// or a table.
    public var reasonLine: String? {
        reason.map { GradeReport.sanitized($0).replacingOccurrences(of: "\n", with: " ") }
    }

    /// The record as the grader's report (tests that never ran are failed with the reason),
    /// for `report.txt` and `results.json`.
    public var report: GradeReport {
        GradeReport(file: file ?? handIn ?? student, officialFile: officialFile, testsFile: testsFile,
                    tests: tests.map { test in
                        TestResult(name: test.name, points: test.points, maxPoints: test.maxPoints, passed: test.passed,
                                   message: test.message, isHidden: test.hidden, timedOut: test.timedOut,
                                   seconds: test.seconds, printed: test.printed)
                    },
                    learnerErrors: learnerErrors.map { LearnerCellError(line: $0.line, rendered: $0.rendered) },
                    shadowedNames: shadowedNames, seconds: seconds)
    }

    /// The text report: what `selfsup grade FILE` prints, after a line saying why the grading
    /// did not finish when it did not.
    public var reportText: String {
        var text = ""
        if let reason, status != .graded {
            text += Messages.text("Not graded in full ({status}): {reason}", ["status": status.rawValue,
                                                                             "reason": GradeReport.sanitized(reason)]) + "\n"
        }
        if tests.isEmpty { return text }
        return text + warnings + report.humanText()
    }

    /// The JSON text (keys sorted, indented, ending with a newline).
    public func jsonText() -> String { sortedJSONText() }

    /// Writes `grading.json` atomically.
    public func write(to url: URL) throws(FileWriteError) {
        try AtomicFile.write(jsonText(), to: url)
    }

    /// A record written by `write`; nil when the file is missing, larger than `maxBytes`
    /// or not a record (a grading process stopped before its first write).
    public static func read(from url: URL, maxBytes: Int = 16 << 20) -> HandInRecord? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              let size = attributes[.size] as? NSNumber, size.intValue <= maxBytes,
              let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(HandInRecord.self, from: data)
    }

    /// `text` cut to at most `maxPrintedBytes` of UTF-8, at a character boundary.
    static func cut(_ text: String) -> String {
        guard text.utf8.count > maxPrintedBytes else { return text }
        var kept = ""
        var bytes = 0
        for character in text {
            bytes += character.utf8.count
            if bytes > maxPrintedBytes { break }
            kept.append(character)
        }
        return kept + "\n…"
    }
}
