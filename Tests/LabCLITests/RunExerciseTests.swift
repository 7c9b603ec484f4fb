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

    /// `check()` in Chinese grades against the Chinese twin of the exercise, as `selfsup
    /// grade --lang zh` does: the failing visible test's own message is the twin's.
    func testCheckInChineseUsesTheChineseExercise() throws {
        _ = try selfsup(["start", "04", "--lang", "zh"])
        let file = work.appendingPathComponent("04-collapse-detector.lab")
        var text = try String(contentsOf: file, encoding: .utf8)
        let marker = "# %% [exercise] id=detector"
        let start = try XCTUnwrap(text.range(of: marker))
        let end = text.range(of: "\n# %%", range: start.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex
        text.replaceSubrange(start.lowerBound..<end, with: marker + "\nfn is_collapsed(z) { return false }\n")
        text += "\n# %%\ncheck()\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
        let (_, output) = try selfsup(["run", "04-collapse-detector.lab", "--lang", "zh"])
        XCTAssertTrue(output.contains("同一个向量的 128 份副本应判为崩溃"), output)
        XCTAssertFalse(output.contains("128 copies of one vector"), output)
    }

    /// `export` of an exercise file under `--lang zh` writes its Chinese twin.
    func testExportInChineseWritesTheTwin() throws {
        let source = LearnerSandboxTestCase.exercises.appendingPathComponent("04-collapse-detector.lab")
        let out = work.appendingPathComponent("work.ipynb")
        let (status, output) = try selfsup(["export", source.path, "--to", "ipynb", "-o", out.path, "--lang", "zh"])
        XCTAssertEqual(status, 0, output)
        let notebook = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(notebook.contains("崩溃"), String(notebook.prefix(2000)))
        let (_, english) = try selfsup(["export", source.path, "--to", "ipynb", "-o", out.path, "--lang", "en"])
        XCTAssertFalse(try String(contentsOf: out, encoding: .utf8).contains("崩溃"), english)
    }
}
