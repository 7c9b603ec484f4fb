import XCTest
@testable import LabCLI

final class LabCLISmokeTests: XCTestCase {
    func testModuleLoads() {
        XCTAssertTrue(true)
    }
}
