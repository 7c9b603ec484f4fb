import XCTest
@testable import LabBuiltins

final class LabBuiltinsSmokeTests: XCTestCase {
    func testModuleLoads() {
        XCTAssertTrue(true)
    }
}
