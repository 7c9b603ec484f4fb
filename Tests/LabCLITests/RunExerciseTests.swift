import Foundation
import XCTest
@testable import LabCLI

/// `selfsup run` on an exercise file runs it (its visible tests as the grader runs them) and
/// says how to grade it; `selfsup lesson` refuses it, saying the same. Neither fails on its
/// `todo` with "undefined name".
final class RunExerciseTests: LearnerSandboxTestCase {
    func testRunAndLessonOnAnExerciseSayHowToGradeIt() throws {
        _ = try selfsup(["start", "02"])
        // run: the exercise runs cell by cell (the starter's visible tests fail), then says
        // how to grade it.
        var (status, output) = try selfsup(["run", "02-nt-xent.lab"])
        XCTAssertEqual(status, 1, output)
        XCTAssertTrue(output.contains("is exercise 02-nt-xent") && output.contains("selfsup grade 02")
                      && output.contains("selfsup watch 02"), output)
        XCTAssertTrue(output.contains("not done yet"), output)
        XCTAssertFalse(output.contains("undefined name"), output)

        (status, output) = try selfsup(["lesson", "nt-xent"])
        XCTAssertEqual(status, 2, output)
        XCTAssertTrue(output.contains("exercise 02-nt-xent") && output.contains("selfsup start 02"), output)

        // A script that only mentions the word is run as usual.
        try "# [exercise] is a word\nprint(1 + 1)\n".write(to: work.appendingPathComponent("plain.lab"),
                                                          atomically: true, encoding: .utf8)
        (status, output) = try selfsup(["run", "plain.lab"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("2"), output)
    }
}
