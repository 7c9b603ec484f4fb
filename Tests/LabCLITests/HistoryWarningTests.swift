import Foundation
import XCTest
@testable import LineEditor

/// A history file that cannot be written (HOME unusable) is said once, not silently lost
/// and not repeated after every line.
final class HistoryWarningTests: XCTestCase {
    func testAnUnwritableHistoryFileIsSaidOnce() {
        var warnings: [String] = []
        let history = History(file: "/nonexistent-selfsup-home/.selfsup/history", warn: { warnings.append($0) })
        XCTAssertTrue(history.add("x = 1"))
        XCTAssertTrue(history.add("y = 2"))
        XCTAssertTrue(history.add("z = 3"))
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings[0].contains("history is not being saved") && warnings[0].contains("SELFSUP_HOME"), warnings[0])
        XCTAssertEqual(history.entries, ["x = 1", "y = 2", "z = 3"], "the session keeps its history in memory")
    }

    func testAWritableHistoryFileSaysNothing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var warnings: [String] = []
        let history = History(file: directory.appendingPathComponent("history").path, warn: { warnings.append($0) })
        XCTAssertTrue(history.add("x = 1"))
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(History(file: directory.appendingPathComponent("history").path).entries, ["x = 1"])
    }
}
