import XCTest
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
@testable import ToyData

final class ShapesTests: XCTestCase {
    func testBalancedClassesAttributesAndBoxes() throws {
        let size = 16
        let d = try shapes(count: 500, size: size, seed: 3)
        XCTAssertEqual(d.inputs.shape, [500, 3, size, size])
        XCTAssertEqual(d.classNames, ["circle", "square", "triangle", "cross", "ring"])
        XCTAssertEqual(d.classCounts, [100, 100, 100, 100, 100])
        XCTAssertTrue(d.inputs.data.allSatisfy { $0 >= 0 && $0 <= 1 })
        let boxes = try XCTUnwrap(d.boxes)
        let plane = size * size
        for i in 0..<d.count {
            let r = d.attributes["size"]![i], cx = d.attributes["center_x"]![i], cy = d.attributes["center_y"]![i]
            let colour = Int(d.attributes["color"]![i])
            XCTAssertTrue((3...5).contains(r), "radius \(r) should be 3–5 px at 16×16")
            XCTAssertTrue((0..<shapesPalette.count).contains(colour))
            XCTAssertTrue((0.7...1).contains(d.attributes["brightness"]![i]))
            XCTAssertTrue((0..<(2 * Float.pi)).contains(d.attributes["rotation"]![i]))
            // Every pixel that differs from the plain background lies inside the box …
            var touched = 0
            for y in 0..<size {
                for x in 0..<size {
                    let k = i * 3 * plane + y * size + x
                    let differs = (0..<3).contains { abs(d.inputs.data[k + $0 * plane] - 0.45) > 1e-6 }
                    if differs {
                        touched += 1
                        XCTAssertTrue(boxes[i].contains(pixelX: x, y: y), "sample \(i): pixel (\(x), \(y)) outside \(boxes[i])")
                    }
                }
            }
            XCTAssertGreaterThan(touched, 10)
            // … and the box is about the shape's size around its centre.
            XCTAssertTrue(boxes[i].minX <= cx && cx <= boxes[i].maxX && boxes[i].minY <= cy && cy <= boxes[i].maxY)
            XCTAssertLessThanOrEqual(boxes[i].width, 2.2 * r + 2)
            XCTAssertGreaterThanOrEqual(boxes[i].width, 0.8 * r)
        }
    }

    func testCentrePixelHasTheShapeColour() throws {
        // A filled shape (circle, square) covers its centre pixel fully: colour × brightness.
        let d = try shapes(count: 200, size: 32, seed: 8)
        let plane = 32 * 32
        var checked = 0
        for i in 0..<d.count where d.labels[i] <= 1 {
            let x = Int(d.attributes["center_x"]![i]), y = Int(d.attributes["center_y"]![i])
            let (r, g, b) = shapesPalette[Int(d.attributes["color"]![i])].rgb
            let s = d.attributes["brightness"]![i]
            let k = i * 3 * plane + y * 32 + x
            XCTAssertEqual(d.inputs.data[k], r * s, accuracy: 1e-5)
            XCTAssertEqual(d.inputs.data[k + plane], g * s, accuracy: 1e-5)
            XCTAssertEqual(d.inputs.data[k + 2 * plane], b * s, accuracy: 1e-5)
            checked += 1
        }
        XCTAssertEqual(checked, 80)
    }

    func testRingHasAHole() throws {
        let d = try shapes(count: 50, size: 32, seed: 2)
        let plane = 32 * 32
        for i in 0..<d.count where d.labels[i] == ShapeKind.ring.rawValue {
            let x = Int(d.attributes["center_x"]![i]), y = Int(d.attributes["center_y"]![i])
            XCTAssertEqual(d.inputs.data[i * 3 * plane + y * 32 + x], 0.45, accuracy: 1e-6)
        }
    }

    func testDeterministicAndIndependentOfThreads() throws {
        let a = try shapes(count: 64, size: 16, seed: 5, threads: 1)
        let b = try shapes(count: 64, size: 16, seed: 5, threads: 3)
        let c = try shapes(count: 64, size: 16, seed: 6)
        XCTAssertEqual(a.inputs.data, b.inputs.data)
        XCTAssertEqual(a.labels, b.labels)
        XCTAssertEqual(a.boxes, b.boxes)
        XCTAssertNotEqual(a.inputs.data, c.inputs.data)
    }

    func testTexturedBackgroundAndErrors() throws {
        let plain = try shapes(count: 8, size: 16, seed: 1)
        let textured = try shapes(count: 8, size: 16, background: .textured, seed: 1)
        XCTAssertEqual(plain.labels, textured.labels)
        // The corner pixel is plain grey in one, patterned in the other.
        XCTAssertEqual(plain.inputs.data[0], 0.45)
        XCTAssertNotEqual(textured.inputs.data[0], 0.45)
        XCTAssertTrue(textured.inputs.data.allSatisfy { $0 >= 0 && $0 <= 1 })
        XCTAssertEqual(try shapes(count: 0).count, 0)
        XCTAssertThrowsError(try shapes(count: -1))
        XCTAssertThrowsError(try shapes(count: 5, size: 4))
    }

    func testTenThousandImagesAreQuick() throws {
        // The bar is 10,000 32×32 images in under a second in release. Measured as
        // this thread's CPU time on one thread, so a loaded test machine does not make it
        // flaky (wall time with 2 threads is lower still on an idle machine).
        let start = threadCPUSeconds()
        let d = try shapes(count: 10_000, size: 32, seed: 0, threads: 1)
        let elapsed = threadCPUSeconds() - start
        XCTAssertEqual(d.count, 10_000)
        #if DEBUG
        let limit = 120.0
        #else
        let limit = 1.0
        #endif
        XCTAssertLessThan(elapsed, limit)
    }
}

/// CPU seconds used by the calling thread.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
