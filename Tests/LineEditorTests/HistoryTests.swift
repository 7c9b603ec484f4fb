import Foundation
import XCTest
@testable import LineEditor

/// The REPL's history: what is kept, in which order, and how it survives in its file.
final class HistoryTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testBlankEntriesAreLeftOutAndARepeatMovesToTheEnd() {
        let history = History(file: nil)
        XCTAssertTrue(history.add("x = 1"))
        XCTAssertFalse(history.add("   "))
        XCTAssertFalse(history.add("\n\t"))
        XCTAssertTrue(history.add("y = 2"))
        XCTAssertTrue(history.add("x = 1"))
        XCTAssertEqual(history.entries, ["y = 2", "x = 1"])
    }

    func testOnlyTheNewestEntriesUpToTheLimitAreKept() {
        let history = History(file: nil, limit: 3)
        for i in 0..<5 { _ = history.add("e\(i)") }
        XCTAssertEqual(history.entries, ["e2", "e3", "e4"])
    }

    /// Newlines inside an entry and backslashes survive the one-entry-per-line file.
    func testEncodingRoundTripsNewlinesAndBackslashes() {
        for entry in ["fn f(x) {\n    return x\n}", "print(\"a\\nb\")", "\\", "ends with \\", "\\n literally"] {
            let line = History.encode(entry)
            XCTAssertFalse(line.contains("\n"), "an encoded entry is one line: \(line)")
            XCTAssertEqual(History.decode(line), entry)
        }
    }

    func testEntriesAreSavedAndReadBackInOrder() throws {
        let file = directory.appendingPathComponent("history").path
        let first = History(file: file)
        _ = first.add("a = 1")
        _ = first.add("fn f() {\n    return 2\n}")
        _ = first.add("a = 1")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertEqual(text, "fn f() {\\n    return 2\\n}\na = 1\n")
        XCTAssertEqual(History(file: file).entries, ["fn f() {\n    return 2\n}", "a = 1"])
    }

    func testAMissingOrUnwritableFileIsNotAnError() {
        let missing = directory.appendingPathComponent("no/such/dir/history").path
        let history = History(file: missing)
        XCTAssertEqual(history.entries, [])
        XCTAssertTrue(history.add("x"), "the entry is kept in memory even when the file cannot be written")
        XCTAssertEqual(history.entries, ["x"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))
    }

    /// A non-interactive editor (a pipe, as in these tests) still records history in its file.
    func testAPlainEditorKeepsHistoryInItsFile() throws {
        let file = directory.appendingPathComponent("history").path
        let editor = LineEditor(historyFile: file)
        guard !editor.isInteractive else { throw XCTSkip("standard input is a terminal") }
        editor.addHistory("x = randn(2)")
        editor.addHistory(" ")
        XCTAssertEqual(History(file: file).entries, ["x = randn(2)"])
    }
}
