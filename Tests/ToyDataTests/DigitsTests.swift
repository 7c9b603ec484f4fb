import XCTest
@testable import ToyData

final class DigitsTests: XCTestCase {
    func testCountRangeAndLabels() throws {
        let d = try digits()
        XCTAssertEqual(d.count, 1797)
        XCTAssertEqual(d.inputs.shape, [1797, 1, 8, 8])
        XCTAssertEqual(d.inputs.data.min(), 0)
        XCTAssertEqual(d.inputs.data.max(), 1)
        // Every pixel is an integer 0–16 divided by 16.
        XCTAssertTrue(d.inputs.data.allSatisfy { ($0 * 16).rounded() == $0 * 16 })
        // Class sizes as scikit-learn's load_digits(): np.bincount(load_digits().target)
        XCTAssertEqual(d.classCounts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
        XCTAssertEqual(d.classNames, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
        // First row of the file: label 0, pixel sum 294 (/16 after scaling).
        XCTAssertEqual(d.labels[0], 0)
        XCTAssertEqual(d.inputs.data[0..<64].reduce(0, +), 294.0 / 16, accuracy: 1e-4)
        XCTAssertEqual(d.flattenedInputs().shape, [1797, 64])
    }

    func testMalformedCSVThrowsWithLineNumber() {
        let good = Array(repeating: "0", count: 64).joined(separator: ",") + ",3"
        XCTAssertNoThrow(try parseDigits(csv: good + "\n" + good + "\n"))
        XCTAssertThrowsError(try parseDigits(csv: good + "\n1,2,3\n")) { error in
            XCTAssertEqual(error as? ToyDataError,
                           .malformedResource(name: "digits.csv", line: 2, message: "expected 65 comma-separated values, found 3"))
        }
        let badPixel = Array(repeating: "17", count: 64).joined(separator: ",") + ",1"
        XCTAssertThrowsError(try parseDigits(csv: badPixel))
        let badLabel = Array(repeating: "1", count: 64).joined(separator: ",") + ",x"
        XCTAssertThrowsError(try parseDigits(csv: badLabel))
        XCTAssertThrowsError(try parseDigits(csv: ""))
    }
}
