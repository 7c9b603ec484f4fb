import ArgumentParser
import Foundation
import Notebook
import XCTest
@testable import LabCLI

/// `selfsup grade` records the score in the progress of whoever runs it only when they
/// grade their own working copy: any other file, or the teacher's options, mean the
/// hand-in is someone else's.
final class GradeProgressTests: XCTestCase {
    func testOnlyTheLearnersOwnWorkingCopyWithoutTeacherOptionsRecords() throws {
        let official = URL(fileURLWithPath: "/exercises/02-nt-xent.lab")
        let own = ExerciseTarget(file: URL(fileURLWithPath: "/w/02-nt-xent.lab"), kind: .workingCopy,
                                 official: official, isWorkingCopy: true)
        let ownByPath = ExerciseTarget(file: own.file, kind: .path, official: official, isWorkingCopy: true)
        let other = ExerciseTarget(file: URL(fileURLWithPath: "/w/alice.lab"), kind: .path,
                                   official: official, isWorkingCopy: false)
        let starter = ExerciseTarget(file: official, kind: .starter, official: official, isWorkingCopy: false)
        func command(_ arguments: [String]) throws -> LabCLI.GradeCommand {
            try XCTUnwrap(try SelfSupCommand.parseAsRoot(["grade"] + arguments) as? LabCLI.GradeCommand)
        }
        XCTAssertTrue(try command(["02"]).recordsProgress(own))
        XCTAssertTrue(try command(["02", "--strict"]).recordsProgress(ownByPath))
        XCTAssertFalse(try command(["alice.lab"]).recordsProgress(other))
        XCTAssertFalse(try command(["02"]).recordsProgress(starter))
        XCTAssertFalse(try command(["02", "--official", "x.lab"]).recordsProgress(own))
        XCTAssertFalse(try command(["02", "--tests", "x.tests.lab"]).recordsProgress(own))
        XCTAssertFalse(try command(["02", "--json", "results.json"]).recordsProgress(own))
    }
}
