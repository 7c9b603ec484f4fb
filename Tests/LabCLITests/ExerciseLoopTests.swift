import Foundation
import Notebook
import XCTest
@testable import LabCLI

/// The learner's loop: exercises named by number or name (`ExerciseArgument`), `start`,
/// `grade`, `hint` and `reset`. The executable runs in a temporary working directory with
/// a temporary `SELFSUP_HOME`, so no test touches the user's files.
final class ExerciseLoopTests: LearnerSandboxTestCase {
    // MARK: resolving an argument

    func testEveryFormOfAnExerciseNameResolvesToItsStarterWithoutAWorkingCopy() throws {
        for name in ["02", "2", "02-nt-xent", "nt-xent", "02-nt-xent.lab"] {
            let target = try ExerciseArgument.resolve(name, exercisesDirectory: LearnerSandboxTestCase.exercises,
                                                      workingDirectory: work, progress: ExerciseProgress())
            XCTAssertEqual(target.official?.lastPathComponent, "02-nt-xent.lab", name)
            XCTAssertEqual(target.kind, .starter, name)
            XCTAssertEqual(target.file.lastPathComponent, "02-nt-xent.lab", name)
            XCTAssertFalse(target.isWorkingCopy, name)
        }
        for name in ["99", "nt", "03-nt-xent"] {
            XCTAssertThrowsError(try ExerciseArgument.resolve(name, exercisesDirectory: LearnerSandboxTestCase.exercises,
                                                              workingDirectory: work, progress: ExerciseProgress()),
                                 name) { error in
                XCTAssertTrue("\(error)".contains("no file or exercise '\(name)'"), "\(error)")
                XCTAssertTrue("\(error)".contains("02-nt-xent"), "the message lists the exercises: \(error)")
            }
        }
    }

    func testAnIDNamesTheWorkingCopyHereThenTheRecordedOneAndAnExistingFileIsItself() throws {
        let exercises = LearnerSandboxTestCase.exercises
        var recorded = ExerciseProgress()
        let elsewhere = work.appendingPathComponent("sub/mine.lab")
        try FileManager.default.createDirectory(at: elsewhere.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: LearnerSandboxTestCase.nt, to: elsewhere)
        recorded.exercises["02-nt-xent"] = ExerciseProgress.Entry(workingCopy: elsewhere.path)

        // The copy `start` recorded, when the working directory has none.
        var target = try ExerciseArgument.resolve("nt-xent", exercisesDirectory: exercises, workingDirectory: work,
                                                  progress: recorded)
        XCTAssertEqual(target.kind, .workingCopy)
        XCTAssertEqual(target.file.path, elsewhere.standardizedFileURL.path)
        XCTAssertTrue(target.isWorkingCopy)

        // NN-name.lab in the working directory comes first.
        let here = work.appendingPathComponent("02-nt-xent.lab")
        try FileManager.default.copyItem(at: LearnerSandboxTestCase.nt, to: here)
        target = try ExerciseArgument.resolve("2", exercisesDirectory: exercises, workingDirectory: work, progress: recorded)
        XCTAssertEqual(target.file.path, here.standardizedFileURL.path)
        XCTAssertTrue(target.isWorkingCopy)

        // The working copy named by its path is still the learner's own; another file is not.
        target = try ExerciseArgument.resolve("02-nt-xent.lab", exercisesDirectory: exercises, workingDirectory: work,
                                              progress: recorded)
        XCTAssertEqual(target.kind, .path)
        XCTAssertEqual(target.key, "02-nt-xent")
        XCTAssertTrue(target.isWorkingCopy)
        target = try ExerciseArgument.resolve("sub/mine.lab", exercisesDirectory: exercises, workingDirectory: work,
                                              progress: recorded)
        XCTAssertEqual(target.kind, .path)
        XCTAssertEqual(target.key, "02-nt-xent")
        XCTAssertFalse(target.isWorkingCopy, "the working copy here wins, so the recorded one is someone else's now")

        // An existing file named like an id is that file.
        try "print(1)\n".write(to: work.appendingPathComponent("02"), atomically: true, encoding: .utf8)
        target = try ExerciseArgument.resolve("02", exercisesDirectory: exercises, workingDirectory: work, progress: recorded)
        XCTAssertEqual(target.kind, .path)
        XCTAssertEqual(target.file.lastPathComponent, "02")
        XCTAssertNil(target.official)
    }

    // MARK: the commands, run as a learner would

    func testStartCopiesTheStarterRecordsWhereAndNeverOverwrites() throws {
        var (status, output) = try selfsup(["start", "02"])
        XCTAssertEqual(status, 0, output)
        let copy = work.appendingPathComponent("02-nt-xent.lab")
        XCTAssertEqual(try text(copy), try text(LearnerSandboxTestCase.nt))
        XCTAssertTrue(output.contains("selfsup grade 02"), output)
        XCTAssertEqual(try progress().entry(for: "02-nt-xent").workingCopy.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path },
                       copy.resolvingSymlinksInPath().path)

        try "my work\n".write(to: copy, atomically: true, encoding: .utf8)
        (status, output) = try selfsup(["start", "nt-xent"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("already exists") && output.contains("selfsup reset 02"), output)
        XCTAssertEqual(try text(copy), "my work\n", "the learner's work is never overwritten")

        // A named path; a folder gets NN-name.lab inside it.
        try FileManager.default.createDirectory(at: work.appendingPathComponent("ssl"), withIntermediateDirectories: true)
        (status, output) = try selfsup(["start", "3", "ssl"])
        XCTAssertEqual(status, 0, output)
        XCTAssertEqual(try text(work.appendingPathComponent("ssl/03-barlow-twins.lab")),
                       try text(LearnerSandboxTestCase.exercises.appendingPathComponent("03-barlow-twins.lab")))

        (status, output) = try selfsup(["start", "99"])
        XCTAssertEqual(status, 2, output)
        XCTAssertTrue(output.contains("no file or exercise '99'"), output)
    }

    func testOnlyGradingTheLearnersOwnWorkingCopyRecordsProgress() throws {
        // No working copy: the starter is graded, nothing recorded, and the learner is told.
        var (status, output) = try selfsup(["grade", "02"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("no working copy of 02-nt-xent") && output.contains("selfsup start 02"), output)
        XCTAssertEqual(try progress().entry(for: "02-nt-xent").state, .notStarted)

        // Someone else's file, even a solution: graded, not recorded.
        let alice = work.appendingPathComponent("alice.lab")
        try FileManager.default.copyItem(at: LearnerSandboxTestCase.ntSolution, to: alice)
        (status, output) = try selfsup(["grade", "alice.lab"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("Not recorded in your progress"), output)
        XCTAssertEqual(try progress().entry(for: "02-nt-xent").state, .notStarted)

        // The learner's own working copy, by number: recorded.
        (status, output) = try selfsup(["start", "02"])
        XCTAssertEqual(status, 0, output)
        (status, output) = try selfsup(["grade", "2"])
        XCTAssertEqual(status, 0, output)
        XCTAssertEqual(try progress().entry(for: "02-nt-xent").state, .failing, "the starter's todos fail")
        try FileManager.default.removeItem(at: work.appendingPathComponent("02-nt-xent.lab"))
        try FileManager.default.copyItem(at: LearnerSandboxTestCase.ntSolution, to: work.appendingPathComponent("02-nt-xent.lab"))
        (status, output) = try selfsup(["grade", "02-nt-xent.lab"])
        XCTAssertEqual(status, 0, output)
        XCTAssertFalse(output.contains("Not recorded"), output)
        let entry = try progress().entry(for: "02-nt-xent")
        XCTAssertEqual(entry.state, .passing, output)
        XCTAssertEqual(entry.bestScore, entry.maxScore)
        XCTAssertGreaterThan(entry.maxScore, 0)
    }

    func testHintByNumberAndByName() throws {
        var (status, output) = try selfsup(["hint", "02"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.hasPrefix("Hint 1 of"), output)
        (status, output) = try selfsup(["hint", "nt-xent"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.hasPrefix("Hint 2 of"), output)
        (status, output) = try selfsup(["hint", "nope"])
        XCTAssertEqual(status, 2, output)
        XCTAssertTrue(output.contains("no file or exercise 'nope'"), output)
    }

    func testAFolderIsRefusedWithAClearMessage() throws {
        try FileManager.default.createDirectory(at: work.appendingPathComponent("folder"), withIntermediateDirectories: true)
        for command in ["grade", "hint", "reset", "watch"] {
            let (status, output) = try selfsup([command, "folder"])
            XCTAssertEqual(status, 2, output)
            XCTAssertTrue(output.contains("selfsup \(command): folder is a folder"), output)
            XCTAssertFalse(output.contains("could not be completed"), output)
        }
    }

    func testTheExercisesAreFoundBesideTheExecutableWithoutSelfsupRoot() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["SELFSUP_HOME"] = home.path
        environment["SELFSUP_ROOT"] = nil
        let (status, output) = try SelfsupExecutable.run(["hint", "02"], environment: environment, directory: work)
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.hasPrefix("Hint 1 of"), output)
    }

    func testResetRefusesWithoutATerminalAndKeepsABackup() throws {
        var (status, output) = try selfsup(["reset", "02"])
        XCTAssertEqual(status, 2, output)
        XCTAssertTrue(output.contains("no working copy") && output.contains("selfsup start 02"), output)

        _ = try selfsup(["start", "02"])
        let copy = work.appendingPathComponent("02-nt-xent.lab")
        try "mine\n".write(to: copy, atomically: true, encoding: .utf8)
        (status, output) = try selfsup(["reset", "02"])
        XCTAssertEqual(status, 2, output)
        XCTAssertTrue(output.contains("no terminal") && output.contains("--yes"), output)
        XCTAssertEqual(try text(copy), "mine\n")

        for round in 1...2 {
            try "mine \(round)\n".write(to: copy, atomically: true, encoding: .utf8)
            (status, output) = try selfsup(["reset", "nt-xent", "--yes"])
            XCTAssertEqual(status, 0, output)
            XCTAssertEqual(try text(copy), try text(LearnerSandboxTestCase.nt))
        }
        let backups = try FileManager.default.contentsOfDirectory(atPath: work.path)
            .filter { $0.hasPrefix("02-nt-xent.lab.bak-") }.sorted()
        XCTAssertEqual(backups.count, 2, "\(backups)")
        let kept = try Set(backups.map { try text(work.appendingPathComponent($0)) })
        XCTAssertEqual(kept, ["mine 1\n", "mine 2\n"])
    }
}

/// A temporary working directory and `SELFSUP_HOME` for the executable, with the
/// project's `Lessons/` (`SELFSUP_ROOT`), so no test touches the user's files.
class LearnerSandboxTestCase: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let exercises = root.appendingPathComponent("Lessons/Exercises")
    static let nt = exercises.appendingPathComponent("02-nt-xent.lab")
    static let ntSolution = exercises.appendingPathComponent("solutions/02-nt-xent.lab")

    var work: URL!
    var home: URL!

    override func setUpWithError() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("exercise-loop-\(UUID().uuidString)")
        work = base.appendingPathComponent("work")
        home = base.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: work.deletingLastPathComponent())
    }

    func selfsup(_ arguments: [String]) throws -> (Int32, String) {
        var environment = ProcessInfo.processInfo.environment
        environment["SELFSUP_HOME"] = home.path
        environment["SELFSUP_ROOT"] = LearnerSandboxTestCase.root.path
        environment["NO_COLOR"] = "1"
        return try SelfsupExecutable.run(arguments, environment: environment, directory: work)
    }

    func progress() throws -> ExerciseProgress { try ProgressStore(directory: home).load() }

    func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }
}
