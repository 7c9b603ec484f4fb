import Foundation
import Notebook
import XCTest
import ZIPFoundation

/// `selfsup autograder 02 -o autograder.zip`, and its `run_autograder` against a simulated
/// Gradescope `/autograder` tree (a temporary folder, through `AUTOGRADER_ROOT`), with the
/// built `selfsup` as `SELFSUP_BIN`. Every results.json must decode as the lab's
/// `GradescopeResults`, the fallbacks the script writes itself included.
final class AutograderTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let exercises = root.appendingPathComponent("Lessons/Exercises")

    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("autograder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Writes the zip for exercise 02 with the command and unpacks it as Gradescope does:
    /// into `ROOT/source`. Returns the zip's archive and the simulated root.
    func makeAutograder() throws -> (Archive, URL) {
        let zip = folder.appendingPathComponent("autograder.zip")
        var environment = ProcessInfo.processInfo.environment
        environment["SELFSUP_ROOT"] = Self.root.path
        environment["SELFSUP_HOME"] = folder.appendingPathComponent("home").path
        let (status, text) = try SelfsupExecutable.run(["autograder", "02", "-o", zip.path], environment: environment,
                                                       directory: folder)
        XCTAssertEqual(status, 0, text)
        XCTAssertTrue(text.contains("a Gradescope autograder for 02-nt-xent"), text)
        let archive = try Archive(url: zip, accessMode: .read)
        let root = folder.appendingPathComponent("autograder")
        let source = root.appendingPathComponent("source")
        for entry in archive {
            _ = try archive.extract(entry, to: source.appendingPathComponent(entry.path))
        }
        return (archive, root)
    }

    func testTheZipHoldsTheScriptsTheExerciseAndTheSource() throws {
        let (archive, root) = try makeAutograder()
        let paths = Set(archive.map(\.path))
        for script in ["setup.sh", "run_autograder"] {
            let entry = try XCTUnwrap(archive[script], "\(script) is not at the zip's root")
            let mode = (entry.fileAttributes[.posixPermissions] as? NSNumber)?.uint16Value
            XCTAssertEqual(mode, 0o755, "\(script)'s mode in the zip")
            let unpacked = root.appendingPathComponent("source/\(script)")
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: unpacked.path), "\(script) unpacked without its x bit")
            let text = try String(contentsOf: unpacked, encoding: .utf8)
            XCTAssertFalse(text.contains("@EXERCISE@") || text.contains("@TIME_LIMIT@"), "\(script) kept a placeholder")
            XCTAssertTrue(text.contains("02-nt-xent"), script)
            let (status, output) = try Self.run("/bin/bash", ["-n", unpacked.path])
            XCTAssertEqual(status, 0, "bash -n \(script): \(output)")
        }
        let official = try Data(contentsOf: Self.exercises.appendingPathComponent("02-nt-xent.lab"))
        XCTAssertEqual(try Data(contentsOf: root.appendingPathComponent("source/exercise/02-nt-xent.lab")), official)
        XCTAssertTrue(paths.contains("exercise/tests/02-nt-xent.tests.lab"))
        for needed in ["lab/Package.swift", "lab/Sources/LabCLI/AutograderCommand.swift", "lab/Sources/selfsup/main.swift",
                       "lab/Sources/ToyData/Resources/digits.csv", "lab/Tests/LabFixtures/FixtureRunner.swift",
                       "lab/Lessons/Exercises/02-nt-xent.lab"] {
            XCTAssertTrue(paths.contains(needed), "the zip lacks \(needed)")
        }
        let leaks = paths.filter {
            $0.contains("/.") || $0.hasPrefix("lab/Lessons/Exercises/solutions/") || $0.hasPrefix("lab/Lessons/Exercises/wrong/")
                || $0.hasPrefix("lab/Lessons/Exercises/tests/") || $0.contains("__pycache__")
        }
        XCTAssertEqual(leaks.sorted(), [], "answers, hidden tests or hidden files in the zip")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/shellcheck") {
            let scripts = ["setup.sh", "run_autograder"].map { root.appendingPathComponent("source/\($0)").path }
            let (status, output) = try Self.run("/usr/bin/shellcheck", scripts)
            XCTAssertEqual(status, 0, "shellcheck:\n\(output)")
        }
    }

    func testRunAutograderGradesACorrectAndAWrongHandIn() throws {
        let (_, root) = try makeAutograder()
        let teacherHome = folder.appendingPathComponent("teacher-home")
        let correct = try grade(root, handIn: Self.exercises.appendingPathComponent("solutions/02-nt-xent.lab"),
                                home: teacherHome)
        let total = correct.tests.map(\.max_score).reduce(0, +)
        XCTAssertGreaterThan(total, 0)
        XCTAssertEqual(correct.score, total, correct.output)
        XCTAssertTrue(correct.tests.contains { $0.visibility == "after_due_date" }, "the hidden tests were not run")
        XCTAssertEqual(correct.tests.filter { $0.status != "passed" }.map(\.name), [])

        let wrongFile = Self.exercises.appendingPathComponent("wrong/02-nt-xent.no-normalize.lab")
        let wrong = try grade(root, handIn: wrongFile, home: teacherHome)
        XCTAssertGreaterThan(wrong.score, 0, wrong.jsonText())
        XCTAssertLessThan(wrong.score, total, wrong.jsonText())
        // The same marks as grading that file alone.
        let alone = folder.appendingPathComponent("alone.json")
        let (status, text) = try SelfsupExecutable.run(
            ["grade", wrongFile.path, "--json", alone.path],
            environment: ProcessInfo.processInfo.environment.merging(
                ["SELFSUP_ROOT": Self.root.path, "SELFSUP_HOME": teacherHome.path]) { $1 })
        XCTAssertEqual(status, 0, text)
        let direct = try JSONDecoder().decode(GradescopeResults.self, from: Data(contentsOf: alone))
        XCTAssertEqual(wrong.tests.map(\.score), direct.tests.map(\.score))
        // Grading for Gradescope recorded nothing in anyone's progress.
        let progress = teacherHome.appendingPathComponent("progress.json")
        XCTAssertFalse(FileManager.default.fileExists(atPath: progress.path), "run_autograder recorded progress")
    }

    func testEveryFailureStillWritesResultsWithScoreZeroAndTheReason() throws {
        let (_, root) = try makeAutograder()
        let solution = Self.exercises.appendingPathComponent("solutions/02-nt-xent.lab")

        let empty = try grade(root, handIns: [])
        XCTAssertEqual(empty.score, 0)
        XCTAssertTrue(empty.output.contains("no submission"), empty.output)

        // selfsup dies by a signal: a stand-in that kills itself.
        let crasher = folder.appendingPathComponent("crashing-selfsup")
        try "#!/bin/sh\nkill -SEGV $$\n".write(to: crasher, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: crasher.path)
        let crashed = try grade(root, handIns: [("02-nt-xent.lab", Data(contentsOf: solution))],
                                environment: ["SELFSUP_BIN": crasher.path])
        XCTAssertEqual(crashed.score, 0)
        XCTAssertTrue(crashed.output.contains("the grader crashed (signal SEGV)"), crashed.output)

        // A hand-in the grader refuses: a notebook that is not JSON.
        let refused = try grade(root, handIns: [("work.ipynb", Data("{ not a notebook".utf8))])
        XCTAssertEqual(refused.score, 0)
        XCTAssertTrue(refused.output.contains("the grader could not grade work.ipynb"), refused.output)
        XCTAssertTrue(refused.output.contains("cannot grade"), "the grader's reason is missing:\n\(refused.output)")

        let several = try grade(root, handIns: [("a/02-nt-xent.lab", Data(contentsOf: solution)),
                                                ("b.ipynb", Data("{}".utf8))])
        XCTAssertEqual(several.score, 0)
        XCTAssertTrue(several.output.contains("several hand-ins") && several.output.contains("a/02-nt-xent.lab"),
                      several.output)

        let blank = try grade(root, handIns: [("02-nt-xent.lab", Data())])
        XCTAssertEqual(blank.score, 0)
        XCTAssertTrue(blank.output.contains("02-nt-xent.lab is empty"), blank.output)

        // The overall limit: a grader that never ends is stopped, and the script still writes.
        let sleeper = folder.appendingPathComponent("sleeping-selfsup")
        try "#!/bin/sh\nexec sleep 300\n".write(to: sleeper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: sleeper.path)
        let stopped = try grade(root, handIns: [("02-nt-xent.lab", Data(contentsOf: solution))],
                                environment: ["SELFSUP_BIN": sleeper.path, "SELFSUP_GRADE_TIMEOUT": "1"])
        XCTAssertEqual(stopped.score, 0)
        XCTAssertTrue(stopped.output.contains("took longer than 1 seconds"), stopped.output)
    }

    func testUsageErrorsExitTwo() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["SELFSUP_ROOT"] = Self.root.path
        environment["SELFSUP_HOME"] = folder.appendingPathComponent("home").path
        let (missing, missingText) = try SelfsupExecutable.run(["autograder", "02"], environment: environment,
                                                               directory: folder)
        XCTAssertEqual(missing, 2, missingText)
        XCTAssertTrue(missingText.contains("-o autograder.zip"), missingText)
        let (unknown, unknownText) = try SelfsupExecutable.run(["autograder", "no-such-exercise", "-o", "x.zip"],
                                                               environment: environment, directory: folder)
        XCTAssertEqual(unknown, 2, unknownText)
        XCTAssertTrue(unknownText.contains("no file or exercise 'no-such-exercise'"), unknownText)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.zip").path))
    }

    // MARK: - Helpers

    /// Runs `root/source/run_autograder` (as Gradescope runs its copy, in the root) on one
    /// hand-in file, and reads the results.
    func grade(_ root: URL, handIn: URL, home: URL) throws -> GradescopeResults {
        try grade(root, handIns: [(handIn.lastPathComponent, Data(contentsOf: handIn))], environment: ["SELFSUP_HOME": home.path])
    }

    /// Lays out `root/submission` with exactly these files (paths relative to it), runs
    /// run_autograder and decodes `root/results/results.json`.
    func grade(_ root: URL, handIns: [(String, Data)], environment extra: [String: String] = [:]) throws
        -> GradescopeResults {
        let fm = FileManager.default
        let submission = root.appendingPathComponent("submission")
        let results = root.appendingPathComponent("results/results.json")
        try? fm.removeItem(at: submission)
        try? fm.removeItem(at: results)
        try fm.createDirectory(at: submission, withIntermediateDirectories: true)
        for (path, data) in handIns {
            let url = submission.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["AUTOGRADER_ROOT"] = root.path
        environment["SELFSUP_BIN"] = SelfsupExecutable.url.path
        environment.merge(extra) { $1 }
        let (status, output) = try Self.run(root.appendingPathComponent("source/run_autograder").path, [],
                                            environment: environment, directory: root)
        XCTAssertEqual(status, 0, output)
        let data = try Data(contentsOf: results)
        do {
            return try JSONDecoder().decode(GradescopeResults.self, from: data)
        } catch {
            XCTFail("results.json is not Gradescope's format: \(error)\n\(String(decoding: data, as: UTF8.self))")
            throw error
        }
    }

    /// Runs a program; its exit status and its output and error together.
    static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                    directory: URL? = nil) throws -> (Int32, String) {
        try SelfsupExecutable.runProgram(URL(fileURLWithPath: program), arguments, environment: environment, directory: directory)
    }
}
