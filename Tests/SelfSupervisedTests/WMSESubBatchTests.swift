import XCTest
import TensorCore
@testable import SelfSupervised

/// W-MSE's whitening sub-batches (the paper's `w_size`): the loss is the mean of the
/// whole-batch loss over consecutive sub-batches, and a sub-batch must be larger than the
/// embedding width.
final class WMSESubBatchTests: XCTestCase {
    func testSubBatchLossIsTheMeanOverSubBatches() throws {
        var rng = RandomGenerator(seed: 7)
        let za = Tensor.randn([40, 4], using: &rng), zb = Tensor.randn([40, 4], using: &rng)
        let whole = try wmse(za, zb).item()
        XCTAssertEqual(try wmse(za, zb, whiteningSize: 40).item(), whole, accuracy: 1e-6)
        XCTAssertEqual(try wmse(za, zb, whiteningSize: 400).item(), whole, accuracy: 1e-6)
        // Sub-batches of 12: rows 0..<12, 12..<24, 24..<36; the last 4 rows are left out.
        var expected: Float = 0
        for k in 0..<3 {
            let rows = SliceRange(k * 12, (k + 1) * 12)
            expected += try wmse(slice(za, axis: 0, rows), slice(zb, axis: 0, rows)).item() / 3
        }
        let sub = try wmse(za, zb, whiteningSize: 12).item()
        XCTAssertEqual(sub, expected, accuracy: 1e-5)
        XCTAssertNotEqual(sub, whole, accuracy: 1e-3, "whitening sub-batches is a different loss")
    }

    func testSubBatchesNoLargerThanTheWidthAreRefused() {
        var rng = RandomGenerator(seed: 1)
        let za = Tensor.randn([32, 8], using: &rng), zb = Tensor.randn([32, 8], using: &rng)
        XCTAssertThrowsError(try wmse(za, zb, whiteningSize: 8)) { error in
            XCTAssertTrue("\(error)".contains("whitening sub-batches of 8 needs more examples than dimensions"), "\(error)")
        }
    }
}
