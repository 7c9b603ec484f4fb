import XCTest
import TensorCore
@testable import ToyData

final class DatasetTests: XCTestCase {
    func testStratifiedSplit() throws {
        let d = try digits()
        let (train, test) = try d.split(testCount: 500, seed: 1)
        XCTAssertEqual(train.count, 1297)
        XCTAssertEqual(test.count, 500)
        // Each class is within one sample of its proportional share.
        for c in 0..<10 {
            XCTAssertEqual(Double(test.classCounts[c]), Double(d.classCounts[c]) * 500 / 1797, accuracy: 1)
        }
        // The halves are disjoint and together hold every row: compare sorted row sums.
        func rowKeys(_ x: Dataset) -> [Float] {
            (0..<x.count).map { i in x.inputs.data[i * 64..<(i + 1) * 64].enumerated().reduce(0) { $0 + Float($1.offset + 1) * $1.element } }
        }
        XCTAssertEqual((rowKeys(train) + rowKeys(test)).sorted(), rowKeys(d).sorted())
        let again = try d.split(testCount: 500, seed: 1)
        XCTAssertEqual(again.test.labels, test.labels)
        XCTAssertNotEqual(try d.split(testCount: 500, seed: 2).test.inputs.data, test.inputs.data)
        XCTAssertEqual(try d.split(testFraction: 0.25, seed: 0).test.count, 449)
        XCTAssertThrowsError(try d.split(testCount: 2000, seed: 0))
        XCTAssertThrowsError(try d.split(testFraction: 1.5, seed: 0))
    }

    func testLabelledSubsetHasKPerClass() throws {
        let d = try shapes(count: 100, size: 16, seed: 1)
        let s = try d.labelledSubset(perClass: 3, seed: 7)
        XCTAssertEqual(s.classCounts, [3, 3, 3, 3, 3])
        XCTAssertEqual(try d.labelledSubset(perClass: 3, seed: 7).inputs.data, s.inputs.data)
        XCTAssertNotEqual(try d.labelledSubset(perClass: 3, seed: 8).inputs.data, s.inputs.data)
        XCTAssertEqual(s.boxes?.count, 15)
        XCTAssertEqual(s.attributes["size"]?.count, 15)
        XCTAssertThrowsError(try d.labelledSubset(perClass: 21, seed: 0))
        XCTAssertThrowsError(try d.labelledSubset(perClass: 0, seed: 0))
    }

    func testSelectingRows() throws {
        let d = try blobs(count: 10, seed: 1)
        let s = try d.selecting([3, 3, 0])
        XCTAssertEqual(s.inputs.shape, [3, 2])
        XCTAssertEqual(Array(s.inputs.data[0..<2]), Array(d.inputs.data[6..<8]))
        XCTAssertEqual(Array(s.inputs.data[4..<6]), Array(d.inputs.data[0..<2]))
        XCTAssertEqual(s.labels, [d.labels[3], d.labels[3], d.labels[0]])
        XCTAssertThrowsError(try d.selecting([10]))
        XCTAssertThrowsError(try d.selecting([-1]))
    }

    func testBatchesCoverEveryRowOnce() throws {
        let d = try moons(count: 103, seed: 1)
        let batches = try d.batches(size: 25, seed: 4)
        XCTAssertEqual(batches.batchCount, 5)
        let all = Array(batches)
        XCTAssertEqual(all.map { $0.labels.count }, [25, 25, 25, 25, 3])
        XCTAssertEqual(all.flatMap(\.indices).sorted(), Array(0..<103))
        XCTAssertNotEqual(all.flatMap(\.indices), Array(0..<103), "shuffled")
        XCTAssertEqual(Array(try d.batches(size: 25, seed: 4)).flatMap(\.indices), all.flatMap(\.indices))
        let first = all[0]
        XCTAssertEqual(first.inputs.shape, [25, 2])
        XCTAssertEqual(Array(first.inputs.data[0..<2]), Array(d.inputs.data[2 * first.indices[0]..<2 * first.indices[0] + 2]))
        XCTAssertEqual(Array(try d.batches(size: 25, seed: 4, dropLast: true)).count, 4)
        XCTAssertThrowsError(try d.batches(size: 0, seed: 0))
    }
}

final class DatasetDescriptionTests: XCTestCase {
    func testDescriptionNamesShapeClassesAndAttributes() throws {
        let d = try shapes(count: 10, size: 16, seed: 0)
        XCTAssertEqual(d.description,
                       "shapes: 10 samples of [3, 16, 16], 5 classes (circle, square, triangle, cross, ring); attributes: brightness, center_x, center_y, color, rotation, size; boxes")
    }
}
