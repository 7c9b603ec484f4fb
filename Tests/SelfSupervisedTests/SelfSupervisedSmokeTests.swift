import XCTest
@testable import SelfSupervised

final class SelfSupervisedSmokeTests: XCTestCase {
    func testModuleLoads() {
        XCTAssertTrue(true)
    }
}
