import XCTest
@testable import NeuralNet

final class NeuralNetSmokeTests: XCTestCase {
    func testModuleLoads() {
        XCTAssertTrue(true)
    }
}
