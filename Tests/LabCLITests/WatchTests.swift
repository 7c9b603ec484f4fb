import Foundation
import Notebook
import XCTest
@testable import LabCLI

/// `selfsup watch`: its loop driven one poll at a time with fake files and a fake grader
/// (no sleeps, no timing), and the command run once to the end in a sandbox.
final class WatchTests: LearnerSandboxTestCase {
    // MARK: watch's loop, one poll at a time

    final class FakeFiles {
        var contents: [String: String] = [:]
        var graded: [String] = []
        var solved: Set<String> = []
    }

    func testWatchRegradesOnlyOnChangeAndMovesOnWhenEveryTestPasses() {
        let files = FakeFiles()
        let first = WatchTarget(key: "02-nt-xent", file: URL(fileURLWithPath: "/w/02-nt-xent.lab"))
        let second = WatchTarget(key: "03-barlow-twins", file: URL(fileURLWithPath: "/w/03-barlow-twins.lab"))
        var written = ""
        var loop = WatchLoop(
            current: first,
            poll: { files.contents[$0.path].map { Data($0.utf8) } },
            grade: { target in
                let content = files.contents[target.file.path] ?? "?"
                files.graded.append("\(target.key): \(content)")
                return files.solved.contains(content)
            },
            next: { $0 == first ? second : nil },
            write: { written += $0 })
        files.solved = ["solution 02", "solution 03"]
        files.contents[first.file.path] = "starter"

        XCTAssertEqual(loop.step(), .graded, "the first poll grades the file as it is")
        XCTAssertEqual(loop.step(), .unchanged)
        XCTAssertEqual(loop.step(), .unchanged)
        XCTAssertEqual(files.graded, ["02-nt-xent: starter"], "no change, no re-grade")
        XCTAssertTrue(written.contains("save it to grade again"), written)

        files.contents[first.file.path] = "attempt"
        XCTAssertEqual(loop.step(), .graded)
        files.contents[first.file.path] = "starter"
        XCTAssertEqual(loop.step(), .graded, "any change re-grades, even back to an earlier content")
        XCTAssertEqual(loop.step(), .unchanged)

        files.contents[first.file.path] = "solution 02"
        XCTAssertEqual(loop.step(), .moved(to: "03-barlow-twins"))
        XCTAssertEqual(loop.current, second)
        XCTAssertTrue(written.contains("Every test of 02-nt-xent passes"), written)
        XCTAssertTrue(written.contains("Next: 03-barlow-twins"), written)

        XCTAssertEqual(loop.step(), .missing, "the next exercise's file is not there yet")
        XCTAssertEqual(loop.step(), .unchanged)
        files.contents[second.file.path] = "starter"
        XCTAssertEqual(loop.step(), .graded, "the next exercise is graded as soon as it exists")
        files.contents[first.file.path] = "edited after moving on"
        XCTAssertEqual(loop.step(), .unchanged, "only the current exercise is watched")
        files.contents[second.file.path] = "solution 03"
        XCTAssertEqual(loop.step(), .finished)
        XCTAssertTrue(written.contains("Every exercise passes"), written)
        XCTAssertEqual(files.graded, ["02-nt-xent: starter", "02-nt-xent: attempt", "02-nt-xent: starter",
                                      "02-nt-xent: solution 02", "03-barlow-twins: starter",
                                      "03-barlow-twins: solution 03"])
    }

    // MARK: the command

    func testWatchGradesTheFirstExerciseNotPassingRecordsItAndStopsWhenAllPass() throws {
        // Every exercise but 02 passes already; the working copy of 02 is solved.
        var progress = ExerciseProgress()
        for url in ExerciseArgument.officialFiles(in: LearnerSandboxTestCase.exercises)
        where ExerciseProgress.key(for: url) != "02-nt-xent" {
            progress.exercises[ExerciseProgress.key(for: url)] = ExerciseProgress.Entry(state: .passing, bestScore: 1, maxScore: 1)
        }
        try ProgressStore(directory: home).save(progress)
        try FileManager.default.copyItem(at: LearnerSandboxTestCase.ntSolution, to: work.appendingPathComponent("02-nt-xent.lab"))

        let (status, output) = try selfsup(["watch"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("grading ./02-nt-xent.lab"), output)
        XCTAssertTrue(output.contains("Every test of 02-nt-xent passes"), output)
        XCTAssertTrue(output.contains("Every exercise passes"), output)
        XCTAssertEqual(try self.progress().entry(for: "02-nt-xent").state, .passing)
    }
}
