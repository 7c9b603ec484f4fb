import Foundation
import XCTest

/// The exit statuses the help documents: 0 success, 1 a script error or failed
/// expectation, 2 bad usage (the argument parser's own errors included, which exit 64
/// unless selfsup maps them).
final class ExitStatusTests: XCTestCase {
    func testUsageErrorsExitTwo() throws {
        for arguments in [["--no-such-option"], ["run"], ["bench", "--threads", "many"]] {
            let (status, text) = try SelfsupExecutable.run(arguments)
            XCTAssertEqual(status, 2, "selfsup \(arguments.joined(separator: " ")):\n\(text)")
            XCTAssertTrue(text.contains("Error:") || text.contains("error"), text)
        }
        // A closed choice is an enum: a wrong value names the values it takes.
        let (formatStatus, formatText) = try SelfsupExecutable.run(["export", "00-tour", "--to", "pdf"])
        XCTAssertEqual(formatStatus, 2, formatText)
        XCTAssertTrue(formatText.contains("'md', 'html' or 'ipynb'"), formatText)
        // Several hand-ins are a class, which needs a folder for its results.
        let (status, text) = try SelfsupExecutable.run(["grade", "a.lab", "b.lab", "c.lab"])
        XCTAssertEqual(status, 2, text)
        XCTAssertTrue(text.contains("--out"), text)
    }

    /// A lesson or exercise that is not there, in Chinese under `--lang zh` (the name as
    /// typed), in English as before; still a usage error.
    func testNotFoundErrorsInChinese() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["SELFSUP_HOME"] = FileManager.default.temporaryDirectory
            .appendingPathComponent("selfsup-home-\(UUID().uuidString)").path
        environment["SELFSUP_LANG"] = nil
        let cases: [([String], String, String)] = [
            (["lesson", "99"], "selfsup lesson：没有课程 '99'", "selfsup lesson: no lesson '99'"),
            (["grade", "missing.lab"], "selfsup grade：没有文件或练习 'missing.lab'（练习：01-backward, ",
             "selfsup grade: no file or exercise 'missing.lab' (exercises: 01-backward, "),
            (["start", "xx"], "selfsup start：没有文件或练习 'xx'（练习：", "selfsup start: no file or exercise 'xx' (exercises: "),
        ]
        for (arguments, chinese, english) in cases {
            let (zhStatus, zhText) = try SelfsupExecutable.run(arguments + ["--lang", "zh"], environment: environment)
            XCTAssertEqual(zhStatus, 2, zhText)
            XCTAssertTrue(zhText.contains(chinese), zhText)
            let (enStatus, enText) = try SelfsupExecutable.run(arguments + ["--lang", "en"], environment: environment)
            XCTAssertEqual(enStatus, 2, enText)
            XCTAssertTrue(enText.contains(english), enText)
        }
    }

    /// The other commands' errors in Chinese under `--lang zh` as whole sentences (an
    /// exercise given to `lesson`, a script without train to `export-pytorch`, a lesson
    /// that is not there to `export`, clashing kernel locations), in English as before.
    func testCommandErrorsInChinese() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["SELFSUP_HOME"] = FileManager.default.temporaryDirectory
            .appendingPathComponent("selfsup-home-\(UUID().uuidString)").path
        environment["SELFSUP_LANG"] = nil
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zh-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("plain.lab")
        try "x = 1\n".write(to: script, atomically: true, encoding: .utf8)
        let exercise = ExerciseLoopTests.exercises.appendingPathComponent("02-nt-xent.lab").path
        let cases: [([String], String, String)] = [
            (["lesson", exercise], "是练习 02-nt-xent：用 `selfsup grade ", "is exercise 02-nt-xent: grade it with `selfsup grade "),
            (["export-pytorch", script.path, "-o", folder.appendingPathComponent("out").path],
             "selfsup export-pytorch: \(script.path) 中没有可导出的 train(...) 调用",
             "selfsup export-pytorch: \(script.path) has no train(...) call to export"),
            (["export", "no-such-lesson", "--to", "md"], "selfsup export: 没有文件或课程 'no-such-lesson'",
             "selfsup export: no file or lesson 'no-such-lesson'"),
            (["kernel", "install", "--user", "--prefix", folder.path], "--user、--prefix、--sys-prefix 至多只能给出一个",
             "give at most one of --user, --prefix, --sys-prefix"),
        ]
        for (arguments, chinese, english) in cases {
            let (zhStatus, zhText) = try SelfsupExecutable.run(arguments + ["--lang", "zh"], environment: environment)
            XCTAssertEqual(zhStatus, 2, zhText)
            XCTAssertTrue(zhText.contains(chinese), zhText)
            let (enStatus, enText) = try SelfsupExecutable.run(arguments + ["--lang", "en"], environment: environment)
            XCTAssertEqual(enStatus, 2, enText)
            XCTAssertTrue(enText.contains(english), enText)
        }
    }

    func testHelpAndScriptErrors() throws {
        let (helpStatus, help) = try SelfsupExecutable.run(["--help"])
        XCTAssertEqual(helpStatus, 0, help)
        let words = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(words.contains("Exit status: 0 success, 1 a script error or a failed expectation, 2 bad usage."), help)
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("exit-\(UUID().uuidString).lab")
        try "x = 1 +\n".write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let (status, text) = try SelfsupExecutable.run(["run", script.path])
        XCTAssertEqual(status, 1, text)
    }
}
