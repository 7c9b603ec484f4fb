import XCTest
@testable import ToyData

final class ToyDataSmokeTests: XCTestCase {
    func testModuleLoads() {
        XCTAssertTrue(true)
    }
}
