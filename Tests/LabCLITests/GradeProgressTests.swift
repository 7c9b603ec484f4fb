import ArgumentParser
import XCTest
@testable import LabCLI

/// `selfsup grade` records the score in the progress of whoever runs it only when they
/// grade their own work: the teacher's options say the hand-in is someone else's.
final class GradeProgressTests: XCTestCase {
    func testOnlyAPlainGradeRecordsTheGradersOwnProgress() throws {
        func records(_ arguments: [String]) throws -> Bool {
            let command = try XCTUnwrap(try SelfSupCommand.parseAsRoot(["grade"] + arguments) as? LabCLI.GradeCommand)
            return command.recordsProgress
        }
        XCTAssertTrue(try records(["w.ipynb"]))
        XCTAssertTrue(try records(["w.lab", "--strict"]))
        XCTAssertFalse(try records(["w.ipynb", "--official", "x.lab"]))
        XCTAssertFalse(try records(["w.ipynb", "--tests", "x.tests.lab"]))
        XCTAssertFalse(try records(["w.ipynb", "--json", "results.json"]))
    }
}
