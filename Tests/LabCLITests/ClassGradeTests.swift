import ArgumentParser
import Foundation
import Notebook
import XCTest
@testable import LabCLI

/// `selfsup grade DIR --out RESULTS`: a class of hand-ins of exercise 02, each graded by a
/// process of its own under limits, run through the `selfsup` executable as a teacher runs
/// it. Every hand-in that finishes within the limits scores what grading it alone gives;
/// one stopped by a limit keeps the marks of the tests it completed; a crashing worker
/// costs its student only; the class's files name every test; progress is never recorded.
final class ClassGradeTests: XCTestCase {
    static let exercises = GradeNotebookCommandTests.exercises
    static var root: URL { exercises.deletingLastPathComponent().deletingLastPathComponent() }
    static var starter: URL { exercises.appendingPathComponent("02-nt-xent.lab") }
    static var solution: URL { exercises.appendingPathComponent("solutions/02-nt-xent.lab") }
    static let crashMarker = "class-grade-tests-crash-here"

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("class-grade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    /// The reference solution with `body` run first in `nt_xent_loss` for the inputs of the
    /// hidden tests only (τ below 0.3, or more than 4 rows): the four visible tests pass
    /// first, then every hidden test meets `body`.
    static func solution(withHiddenTestsMeeting body: String) throws -> String {
        let text = try String(contentsOf: solution, encoding: .utf8)
        let head = "fn nt_xent_loss(z1, z2, temperature = 0.5) {\n"
        XCTAssertTrue(text.contains(head))
        return text.replacingOccurrences(of: head, with: head + "    if temperature < 0.3 or rows(z1) > 4 {\n" + body + "\n    }\n")
    }

    /// The class: one file per student and folders, with every kind of hand-in.
    func makeClass(in folder: URL) throws -> URL {
        let fm = FileManager.default
        let dir = folder.appendingPathComponent("class")
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        func write(_ text: String, _ name: String) throws {
            let url = dir.appendingPathComponent(name)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let reference = try String(contentsOf: ClassGradeTests.solution, encoding: .utf8)
        try write(reference, "alice.lab")
        try write(try String(contentsOf: ClassGradeTests.starter, encoding: .utf8), "bob-starter.lab")
        // Each wrong solution of 02 but the endless loop, which grading alone takes 21 s on
        // (its role is played by the looper below, stopped by the class's limit).
        let wrong = ClassGradeTests.exercises.appendingPathComponent("wrong")
        for name in try fm.contentsOfDirectory(atPath: wrong.path).sorted()
        where name.hasPrefix("02-nt-xent.") && !name.contains("endless-loop") {
            try write(try String(contentsOf: wrong.appendingPathComponent(name), encoding: .utf8),
                      "wrong-" + name.dropFirst("02-nt-xent.".count))
        }
        // A notebook, exported and filled in, in a student folder (the LMS layout).
        let notebook = dir.appendingPathComponent("nina/submission/work.ipynb")
        try fm.createDirectory(at: notebook.deletingLastPathComponent(), withIntermediateDirectories: true)
        let (status, text) = try SelfsupExecutable.run(["export", ClassGradeTests.starter.path, "--to", "ipynb", "-o", notebook.path])
        XCTAssertEqual(status, 0, text)
        try GradeNotebookCommandTests.paste(ClassGradeTests.solution, into: notebook)
        try write(reference.replacingOccurrences(of: "    return a @ b.T / temperature",
                                                 with: "    return similarities(z1, z2, temperature)"), "recurser.lab")
        try write(try ClassGradeTests.solution(withHiddenTestsMeeting: "        while true { }"), "looper.lab")
        try write(try ClassGradeTests.solution(withHiddenTestsMeeting: """
                    hoard = []
                    while true { hoard.append(zeros(1000000)) }
            """), "allocator.lab")
        try write(try ClassGradeTests.solution(withHiddenTestsMeeting: """
                    s = "x"
                    for i in range(16) { s = s + s }
                    while true { print(s) }
            """), "printer.lab")
        try write(reference + "\n# \(ClassGradeTests.crashMarker)\n", "crasher.lab")
        try write("no hand-in here\n", "dora/notes.txt")
        try write(reference, "eve/a.lab")
        try write(reference, "eve/b.lab")
        try write("a roster from the LMS\n", "roster.txt")
        return dir
    }

    /// RFC 4180 rows (quoted fields may hold commas and quotes).
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var characters = Array(text)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\r\n" || c == "\n" {
                row.append(field); rows.append(row); row = []; field = ""
            } else {
                field.append(c)
            }
        }
        return rows
    }

    func record(_ results: URL, _ student: String) throws -> HandInRecord {
        try XCTUnwrap(HandInRecord.read(from: results.appendingPathComponent("\(student)/grading.json")), student)
    }

    /// What grading the file alone gives.
    func alone(_ file: URL) throws -> GradeReport {
        try XCTUnwrap(Notebook.GradeCommand.run(GradeRequest(file: file, exercisesDirectory: ClassGradeTests.exercises)).report)
    }

    func testAClassIsGradedInProcessesOfTheirOwnAndAHandInCostsOnlyItsOwnScore() throws {
        let folder = try temporaryFolder()
        let dir = try makeClass(in: folder)
        let results = folder.appendingPathComponent("results")
        let home = folder.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let progress = home.appendingPathComponent("progress.json")
        let progressText = #"{"exercises":{"02-nt-xent":{"best_score":3,"hints_seen":0,"max_score":11,"state":"failing"}},"version":1}"#
        try progressText.write(to: progress, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["SELFSUP_HOME"] = home.path
        environment["SELFSUP_ROOT"] = ClassGradeTests.root.path
        environment["SELFSUP_TEST_HOOK_CRASH_MARKER"] = ClassGradeTests.crashMarker
        // The looper loops in four hidden tests of 10 s each: 40 s of wall clock at least,
        // so the 20 s limit stops it on any machine, while a hand-in needs about 0.2 s.
        let (status, output) = try SelfsupExecutable.run(
            ["grade", dir.path, "--out", results.path, "--jobs", "2", "--time-limit", "20", "--cpu-limit", "60",
             "--memory-limit", "1024", "--output-limit", "1"], environment: environment)
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("Graded 15 hand-ins"), output)

        let reference = try alone(ClassGradeTests.solution)
        XCTAssertEqual(reference.score, reference.maxScore)
        let testNames = reference.tests.map(\.name)

        // Finished within the limits: what grading the file alone gives, test by test.
        var graded = ["alice", "bob-starter", "recurser"]
        graded += try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("wrong-") }
            .map { String($0.dropLast(".lab".count)) }
        XCTAssertEqual(graded.count, 8, "five wrong solutions of 02 besides the endless loop")
        var files = Dictionary(uniqueKeysWithValues: graded.map { ($0, dir.appendingPathComponent("\($0).lab")) })
        files["nina"] = dir.appendingPathComponent("nina/submission/work.ipynb")
        for (student, file) in files {
            let record = try record(results, student)
            let single = try alone(file)
            XCTAssertEqual(record.status, .graded, "\(student): \(record.reason ?? "")")
            XCTAssertEqual(record.tests.map(\.points), single.tests.map(\.points), student)
            XCTAssertEqual(record.score, single.score, student)
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: results.appendingPathComponent("\(student)/results.json")))
            XCTAssertEqual((json as? [String: Any])?["score"] as? Double, Double(single.score), student)
            let report = try String(contentsOf: results.appendingPathComponent("\(student)/report.txt"), encoding: .utf8)
            XCTAssertTrue(report.hasSuffix(single.humanText()), student)
        }
        XCTAssertEqual(try record(results, "nina").score, reference.score)
        XCTAssertEqual(try record(results, "bob-starter").score, 0)

        // Stopped by a limit: the visible tests it completed keep the reference's marks, the
        // tests it never reached fail with the reason.
        for (student, limit) in [("looper", "--time-limit"), ("allocator", "--memory-limit"), ("printer", "--output-limit")] {
            let record = try record(results, student)
            XCTAssertEqual(record.status, .stopped, "\(student): \(record.reason ?? "")")
            XCTAssertTrue(record.reason?.contains(limit) ?? false, "\(student): \(record.reason ?? "")")
            XCTAssertEqual(record.tests.map(\.name), testNames, student)
            XCTAssertEqual(record.tests.prefix(4).map(\.ran), [true, true, true, true], student)
            XCTAssertEqual(record.tests.prefix(4).map(\.points), reference.tests.prefix(4).map(\.points), student)
            for test in record.tests.dropFirst(4) {
                XCTAssertEqual(test.points, 0, "\(student): \(test.name)")
                XCTAssertTrue(test.ran ? test.timedOut : test.message.contains(limit), "\(student): \(test.name): \(test.message)")
            }
            XCTAssertEqual(record.score, reference.tests.prefix(4).map(\.points).reduce(0, +), student)
            let report = try String(contentsOf: results.appendingPathComponent("\(student)/report.txt"), encoding: .utf8)
            XCTAssertTrue(report.contains(limit) && report.contains("Score: \(record.score)/\(reference.maxScore)"), report)
        }
        let printed = try FileManager.default.attributesOfItem(atPath: results.appendingPathComponent("printer/stdout.txt").path)
        XCTAssertEqual((printed[.size] as? NSNumber)?.intValue, 1 << 20, "the output stops at the limit")

        // A worker that dies by a signal (the test hook): 0 with the reason; the class went on.
        let crasher = try record(results, "crasher")
        XCTAssertEqual(crasher.status, .crashed)
        XCTAssertTrue(crasher.reason?.contains("SIGSEGV") ?? false, crasher.reason ?? "")
        XCTAssertEqual(crasher.score, 0)
        XCTAssertEqual(crasher.maxScore, reference.maxScore)
        XCTAssertEqual(try record(results, "dora").status, .noHandIn)
        let eve = try record(results, "eve")
        XCTAssertEqual(eve.status, .refused)
        XCTAssertTrue(eve.reason?.contains("several hand-ins") ?? false, eve.reason ?? "")

        // The gradebook: the documented header, one row per student.
        let rows = ClassGradeTests.csvRows(try String(contentsOf: results.appendingPathComponent("gradebook.csv"), encoding: .utf8))
        XCTAssertEqual(rows.first, ["student", "exercise", "score", "max"] + testNames + ["status", "reason", "seconds"])
        let byStudent = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[0], $0) })
        XCTAssertEqual(byStudent.keys.sorted(), (graded + ["nina", "looper", "allocator", "printer", "crasher", "dora", "eve"]).sorted())
        XCTAssertEqual(byStudent["alice"]?[1...3], ["02-nt-xent", String(reference.score), String(reference.maxScore)])
        XCTAssertEqual(byStudent["looper"]?[4 + testNames.count], "stopped")
        XCTAssertEqual(byStudent["crasher"]?[4 + testNames.count], "crashed")
        XCTAssertEqual(byStudent["dora"]?[4 + testNames.count], "no hand-in")

        // The summaries name every test; the file that is no hand-in is listed as skipped.
        for name in ["summary.md", "summary.html"] {
            let summary = try String(contentsOf: results.appendingPathComponent(name), encoding: .utf8)
            for test in testNames { XCTAssertTrue(summary.contains(test), "\(name) lacks \(test)") }
            XCTAssertTrue(summary.contains("roster.txt"), name)
        }
        XCTAssertTrue(try String(contentsOf: results.appendingPathComponent("summary.html"), encoding: .utf8).contains("<svg"))


        // Grading for others never touches the teacher's progress.
        XCTAssertEqual(try String(contentsOf: progress, encoding: .utf8), progressText)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: home.path), ["progress.json"])
    }

    /// The CPU limit is the kernel's (RLIMIT_CPU in the worker): a hand-in that loops for
    /// at least 40 s of wall clock is stopped after 1 s of CPU time.
    /// The summary's similarity section: a renamed copy of the reference is flagged beside
    /// it, side by side in the HTML; the starter, which adds no code of its own, is in no pair.
    func testTheSummaryFlagsARenamedCopy() throws {
        let folder = try temporaryFolder()
        let dir = folder.appendingPathComponent("class")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let reference = try String(contentsOf: ClassGradeTests.solution, encoding: .utf8)
        try reference.write(to: dir.appendingPathComponent("alice.lab"), atomically: true, encoding: .utf8)
        var renamed = reference
        for (old, new) in [("z1", "left"), ("z2", "right"), ("temperature", "tau")] {
            renamed = renamed.replacingOccurrences(of: old, with: new)
        }
        try renamed.write(to: dir.appendingPathComponent("carl.lab"), atomically: true, encoding: .utf8)
        try String(contentsOf: ClassGradeTests.starter, encoding: .utf8)
            .write(to: dir.appendingPathComponent("bob.lab"), atomically: true, encoding: .utf8)
        let results = folder.appendingPathComponent("results")
        var environment = ProcessInfo.processInfo.environment
        environment["SELFSUP_HOME"] = folder.appendingPathComponent("home").path
        environment["SELFSUP_ROOT"] = ClassGradeTests.root.path
        let (status, output) = try SelfsupExecutable.run(["grade", dir.path, "--out", results.path, "--jobs", "2"],
                                                         environment: environment)
        XCTAssertEqual(status, 0, output)
        let markdown = try String(contentsOf: results.appendingPathComponent("summary.md"), encoding: .utf8)
        let section = String(markdown[try XCTUnwrap(markdown.range(of: "## Similarity: 02-nt-xent")).upperBound...])
        let pairs = section.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| hand-in") }
        XCTAssertEqual(pairs.count, 1, section)
        XCTAssertTrue(pairs.first.map { $0.hasPrefix("| alice | carl |") } ?? false, section)
        let html = try String(contentsOf: results.appendingPathComponent("summary.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("class=\"similar-pair\""), "summary.html shows no flagged pair side by side")
    }

    func testTheCPULimitStopsAHandIn() throws {
        let folder = try temporaryFolder()
        let dir = folder.appendingPathComponent("class")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try ClassGradeTests.solution(withHiddenTestsMeeting: "        while true { }")
            .write(to: dir.appendingPathComponent("looper.lab"), atomically: true, encoding: .utf8)
        let results = folder.appendingPathComponent("results")
        var environment = ProcessInfo.processInfo.environment
        environment["SELFSUP_HOME"] = folder.appendingPathComponent("home").path
        environment["SELFSUP_ROOT"] = ClassGradeTests.root.path
        let (status, output) = try SelfsupExecutable.run(
            ["grade", dir.path, "--out", results.path, "--cpu-limit", "1", "--time-limit", "600"], environment: environment)
        XCTAssertEqual(status, 0, output)
        let record = try record(results, "looper")
        XCTAssertEqual(record.status, .stopped)
        XCTAssertTrue(record.reason?.contains("--cpu-limit") ?? false, record.reason ?? "")
    }

    /// Usage errors exit 2 with what to do, before anything is written or started.
    func testClassUsageErrorsExitTwo() throws {
        let folder = try temporaryFolder()
        let dir = folder.appendingPathComponent("class")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let a = dir.appendingPathComponent("a.lab"), b = dir.appendingPathComponent("b.lab")
        try FileManager.default.copyItem(at: ClassGradeTests.solution, to: a)
        try FileManager.default.copyItem(at: ClassGradeTests.solution, to: b)
        let full = folder.appendingPathComponent("full")
        try FileManager.default.createDirectory(at: full, withIntermediateDirectories: true)
        try "old".write(to: full.appendingPathComponent("gradebook.csv"), atomically: true, encoding: .utf8)
        try "notes".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("results").path
        for arguments in [[dir.path], [a.path, b.path], [dir.path, "--out", full.path], [a.path, "--jobs", "2"],
                          [dir.path, "--out", out, "--json", "r.json"], [dir.path, "--out", out, "--memory-limit", "100"],
                          [dir.path, "--out", out, "--exercise", "99"], [dir.path, "--out", out, "--jobs", "0"],
                          [folder.appendingPathComponent("nobody").path, "--out", out],
                          [folder.appendingPathComponent("notes.txt").path, a.path, "--out", out]] {
            XCTAssertThrowsError(try {
                var command = try SelfSupCommand.parseAsRoot(["grade"] + arguments)
                try command.run()
            }(), arguments.joined(separator: " ")) { error in
                XCTAssertEqual((error as? ExitCode)?.rawValue, 2, "\(arguments): \(error)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        let (status, text) = try SelfsupExecutable.run(["grade", dir.path])
        XCTAssertEqual(status, 2, text)
        XCTAssertTrue(text.contains("--out"), text)
        XCTAssertFalse(text.contains("NSCocoaErrorDomain"), text)
    }
}
