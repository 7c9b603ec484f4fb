import XCTest
import TensorCore
@testable import SelfSupervised

/// A batch of `n` RGB images with uniform random values in [0, 1).
func randomBatch(_ n: Int, _ c: Int = 3, _ h: Int = 16, _ w: Int = 16, seed: UInt64 = 1) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return Tensor(shape: [n, c, h, w], data: (0..<(n * c * h * w)).map { _ in rng.nextFloat() })
}

func applied(_ aug: any Augmentation, to batch: Tensor, seed: UInt64 = 5) throws -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return try Pipeline([aug]).apply(to: batch, using: &rng)
}

/// Every augmentation with the probability 1 so it always acts.
let everyAugmentation: [(String, any Augmentation)] = [
    ("resized crop", RandomResizedCrop(size: 12, scale: 0.2...1)),
    ("horizontal flip", HorizontalFlip(probability: 1)),
    ("vertical flip", VerticalFlip(probability: 1)),
    ("rotation 90", RandomRotation90(probability: 1)),
    ("rotation", RandomRotation(degrees: -30...30)),
    ("affine", RandomAffine(degrees: 15, maxShift: 1, scale: 0.9...1.1)),
    ("translation", RandomTranslation(maxShift: 3)),
    ("colour jitter", ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1)),
    ("grayscale", RandomGrayscale(probability: 1)),
    ("blur", GaussianBlur(kernelSize: 3, sigma: 0.1...2, probability: 1)),
    ("solarize", RandomSolarize(threshold: 0.5, probability: 1)),
    ("noise", GaussianNoise(std: 0.2)),
    ("erasing", RandomErasing(probability: 1)),
    ("patch masking", PatchMasking(patchSize: 4, maskRatio: 0.5)),
]

final class AugmentationInvariantTests: XCTestCase {
    func testShapesRangeAndDeterminismOfEveryAugmentation() throws {
        let batch = randomBatch(8)
        for (name, aug) in everyAugmentation {
            let a = try applied(aug, to: batch, seed: 9)
            let b = try applied(aug, to: batch, seed: 9)
            let size = aug.outputSize(height: 16, width: 16)
            XCTAssertEqual(a.shape, [8, 3, size.height, size.width], name)
            XCTAssertTrue(a.data.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(name) leaves [0, 1]")
            XCTAssertEqual(a.data, b.data, "\(name): same seed, same output")
            XCTAssertNotEqual(a.data, batch.data.count == a.data.count ? batch.data : [], "\(name) changed nothing")
        }
    }

    func testResultDoesNotDependOnThreadCount() throws {
        let batch = randomBatch(33)
        let pipeline = try ViewPipelines.named("simclr", imageSize: 16).first
        var r1 = RandomGenerator(seed: 3), r2 = RandomGenerator(seed: 3)
        let one = try pipeline.apply(to: batch, using: &r1, threads: 1)
        let four = try pipeline.apply(to: batch, using: &r2, threads: 4)
        XCTAssertEqual(one.data, four.data)
    }

    func testFlipTwiceIsIdentity() {
        var rng = RandomGenerator(seed: 1)
        let original = ImageBuffer(batch: randomBatch(1, 3, 5, 7), index: 0)
        for flip in [HorizontalFlip(probability: 1) as any Augmentation, VerticalFlip(probability: 1)] {
            var x = original
            flip.apply(&x, using: &rng)
            XCTAssertNotEqual(x, original)
            flip.apply(&x, using: &rng)
            XCTAssertEqual(x, original)
        }
    }

    func testHorizontalFlipMirrorsColumns() {
        var rng = RandomGenerator(seed: 1)
        let original = ImageBuffer(batch: randomBatch(1, 2, 3, 4), index: 0)
        var x = original
        HorizontalFlip(probability: 1).apply(&x, using: &rng)
        XCTAssertEqual(x[1, 2, 0], original[1, 2, 3])
        XCTAssertEqual(x[0, 1, 1], original[0, 1, 2])
    }

    func testFourQuarterTurnsAreIdentity() {
        // Turning by k quarters then by 4 − k more (rotate() by 90° steps) returns the image.
        let original = ImageBuffer(batch: randomBatch(1, 3, 6, 6), index: 0)
        var x = original
        for _ in 0..<4 { x = rotate(x, degrees: 90) }
        for (a, b) in zip(x.pixels, original.pixels) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    func testRotation90MatchesBilinearRotation() {
        // A quarter turn is exact in bilinear rotation too, so both must agree.
        let original = ImageBuffer(batch: randomBatch(1, 1, 4, 4), index: 0)
        let turned = rotate(original, degrees: 90)
        // Counter-clockwise: the top-right pixel moves to the top-left.
        XCTAssertEqual(turned[0, 0, 0], original[0, 0, 3], accuracy: 1e-5)
        XCTAssertEqual(turned[0, 3, 0], original[0, 0, 0], accuracy: 1e-5)
    }

    func testRandomRotation90GivesQuarterTurns() {
        let original = ImageBuffer(batch: randomBatch(1, 2, 5, 5), index: 0)
        let turns = (0..<4).map { k in (0..<k).reduce(original) { x, _ in rotate(x, degrees: 90) } }
        var seen = Set<Int>()
        for seed in 0..<20 {
            var rng = RandomGenerator(seed: UInt64(seed))
            var x = original
            RandomRotation90(probability: 1).apply(&x, using: &rng)
            let k = turns.firstIndex { t in zip(t.pixels, x.pixels).allSatisfy { abs($0 - $1) < 1e-5 } }
            XCTAssertNotNil(k, "not a quarter turn")
            if let k { seen.insert(k) }
        }
        XCTAssertGreaterThan(seen.count, 2)
    }

    func testTranslateMovesContent() {
        let original = ImageBuffer(batch: randomBatch(1, 1, 5, 5), index: 0)
        let moved = translate(original, dx: 2, dy: -1, fill: 0)
        XCTAssertEqual(moved[0, 0, 2], original[0, 1, 0])
        XCTAssertEqual(moved[0, 3, 4], original[0, 4, 2])
        XCTAssertEqual(moved[0, 4, 3], 0)  // the bottom row was uncovered
        XCTAssertEqual(moved[0, 2, 1], 0)  // so were the two left columns
    }

    func testGrayscaleHasEqualChannels() throws {
        let out = try applied(RandomGrayscale(probability: 1), to: randomBatch(4))
        let plane = 16 * 16
        for i in 0..<4 {
            let base = i * 3 * plane
            for k in 0..<plane {
                XCTAssertEqual(out.data[base + k], out.data[base + plane + k])
                XCTAssertEqual(out.data[base + k], out.data[base + 2 * plane + k])
            }
        }
    }

    func testNeutralFactorsAreIdentity() {
        let original = ImageBuffer(batch: randomBatch(1), index: 0)
        var x = original
        adjustBrightness(&x, factor: 1)
        XCTAssertEqual(x, original)
        adjustContrast(&x, factor: 1)
        adjustSaturation(&x, factor: 1)
        adjustHue(&x, factor: 0)
        for (a, b) in zip(x.pixels, original.pixels) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        // A jitter whose ranges are all empty does nothing.
        var rng = RandomGenerator(seed: 2)
        var y = original
        ColorJitter().apply(&y, using: &rng)
        XCTAssertEqual(y, original)
    }

    func testZeroSaturationIsGrayscale() {
        var a = ImageBuffer(batch: randomBatch(1), index: 0)
        var b = a
        adjustSaturation(&a, factor: 0)
        grayscale(&b)
        for (p, q) in zip(a.pixels, b.pixels) { XCTAssertEqual(p, q, accuracy: 1e-6) }
    }

    func testProbabilityZeroLeavesImagesAndOneAlwaysActs() throws {
        let batch = randomBatch(6)
        XCTAssertEqual(try applied(GaussianBlur(probability: 0), to: batch).data, batch.data)
        XCTAssertEqual(try applied(HorizontalFlip(probability: 0), to: batch).data, batch.data)
        // p = 0.5 over 200 images: some flipped, some not.
        let many = randomBatch(200, 1, 2, 2)
        let out = try applied(HorizontalFlip(probability: 0.5), to: many)
        let unchanged = (0..<200).filter { i in out.data[i * 4..<(i + 1) * 4] == many.data[i * 4..<(i + 1) * 4] }.count
        XCTAssertTrue((60...140).contains(unchanged), "\(unchanged) of 200 unflipped")
    }

    func testResizedCropKeepsWholeImageAtScaleOne() throws {
        // Scale 1 and ratio 1 force the full image, resized to its own size: the identity.
        let batch = randomBatch(3)
        let out = try applied(RandomResizedCrop(size: 16, scale: 1...1, ratio: 1...1), to: batch)
        for (a, b) in zip(out.data, batch.data) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    func testPatchMaskingReturnsTheMask() throws {
        var rng = RandomGenerator(seed: 4)
        let batch = Tensor(shape: [5, 3, 8, 8], data: [Float](repeating: 0.7, count: 5 * 3 * 64))
        let (images, mask) = try PatchMasking(patchSize: 4, maskRatio: 0.5, fill: 0).masked(batch, using: &rng)
        XCTAssertEqual(mask.shape, [5, 2, 2])
        for i in 0..<5 {
            XCTAssertEqual(mask.data[i * 4..<(i + 1) * 4].reduce(0, +), 2, "half of the 4 patches")
            for p in 0..<4 {
                let (py, px) = (p / 2 * 4, p % 2 * 4)
                let v = images.data[(i * 3 + 2) * 64 + (py + 1) * 8 + px + 2]
                XCTAssertEqual(v, mask.data[i * 4 + p] == 1 ? 0 : 0.7)
            }
        }
        XCTAssertThrowsError(try PatchMasking(patchSize: 2, maskRatio: 0.5).masked(Tensor(shape: [4, 4], data: [Float](repeating: 0, count: 16)), using: &rng))
    }

    func testErasingSetsOneRectangle() throws {
        let batch = Tensor(shape: [10, 3, 16, 16], data: [Float](repeating: 0.5, count: 10 * 768))
        let out = try applied(RandomErasing(value: 0, probability: 1), to: batch)
        for i in 0..<10 {
            let zeros = (0..<256).filter { out.data[i * 768 + $0] == 0 }
            XCTAssertFalse(zeros.isEmpty)
            let ys = zeros.map { $0 / 16 }, xs = zeros.map { $0 % 16 }
            let area = (ys.max()! - ys.min()! + 1) * (xs.max()! - xs.min()! + 1)
            XCTAssertEqual(area, zeros.count, "the erased pixels form a filled rectangle")
        }
    }

    func testInvalidParametersThrowInsteadOfTrapping() {
        let batch = randomBatch(2, 3, 8, 8)
        let bad: [any Augmentation] = [
            GaussianBlur(kernelSize: 4), GaussianBlur(kernelSize: 17), GaussianBlur(sigma: 0...1),
            ColorJitter(hue: 0.7), ColorJitter(brightness: -1),
            RandomResizedCrop(size: 0), RandomResizedCrop(size: 8, scale: 0...1),
            RandomTranslation(maxShift: -1), RandomAffine(degrees: 5, scale: 0...1),
            GaussianNoise(std: -1), PatchMasking(patchSize: 0, maskRatio: 0.5),
            PatchMasking(patchSize: 2, maskRatio: 1.5), HorizontalFlip(probability: 2),
        ]
        for aug in bad {
            var rng = RandomGenerator(seed: 1)
            XCTAssertThrowsError(try Pipeline([aug]).apply(to: batch, using: &rng), "\(aug)")
        }
    }

    func testBatchMustBeFourDimensional() {
        var rng = RandomGenerator(seed: 1)
        XCTAssertThrowsError(try Pipeline([HorizontalFlip()]).apply(to: Tensor(shape: [3, 4], data: [Float](repeating: 0, count: 12)), using: &rng))
    }
}
