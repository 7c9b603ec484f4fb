import XCTest
@testable import LabScript

final class LabScriptSmokeTests: XCTestCase {
    func testModuleLoads() {
        XCTAssertTrue(true)
    }
}
