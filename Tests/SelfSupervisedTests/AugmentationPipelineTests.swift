import XCTest
import TensorCore
@testable import SelfSupervised

final class AugmentationPipelineTests: XCTestCase {
    func testEveryNamedPipelineMakesTwoViewsOfTheRightShape() throws {
        let batch = randomBatch(6, 3, 32, 32)
        for name in ViewPipelines.names where name != "digits" {
            let pipelines = try ViewPipelines.named(name, imageSize: 24)
            var rng = RandomGenerator(seed: 11)
            let (a, b) = try pipelines.views(of: batch, using: &rng)
            let size = name == "none" || name == "color-only" ? 32 : 24
            XCTAssertEqual(a.shape, [6, 3, size, size], name)
            XCTAssertEqual(b.shape, a.shape, name)
            XCTAssertTrue(a.data.allSatisfy { $0 >= 0 && $0 <= 1 }, name)
            if name == "none" {
                XCTAssertEqual(a.data, batch.data)
            } else {
                XCTAssertNotEqual(a.data, b.data, "\(name): the two views should differ")
            }
        }
    }

    func testSameSeedSameViewsBitForBit() throws {
        let batch = randomBatch(10, 3, 16, 16)
        let pipelines = try ViewPipelines.named("byol", imageSize: 16)
        var r1 = RandomGenerator(seed: 42), r2 = RandomGenerator(seed: 42), r3 = RandomGenerator(seed: 43)
        let v1 = try pipelines.views(of: batch, using: &r1)
        let v2 = try pipelines.views(of: batch, using: &r2)
        let v3 = try pipelines.views(of: batch, using: &r3)
        XCTAssertEqual(v1.0.data, v2.0.data)
        XCTAssertEqual(v1.1.data, v2.1.data)
        XCTAssertNotEqual(v1.0.data, v3.0.data)
    }

    func testDigitsPipelineKeepsEightByEight() throws {
        let batch = randomBatch(4, 1, 8, 8)
        var rng = RandomGenerator(seed: 1)
        let (a, b) = try ViewPipelines.named("digits").views(of: batch, using: &rng)
        XCTAssertEqual(a.shape, [4, 1, 8, 8])
        XCTAssertNotEqual(a.data, b.data)
    }

    func testByolViewsAreAsymmetric() throws {
        let p = ViewPipelines.byol()
        func probability<T: Augmentation>(_ type: T.Type, _ pipeline: Pipeline) -> Float? {
            pipeline.steps.compactMap { $0 as? T }.first?.probability
        }
        XCTAssertEqual(probability(GaussianBlur.self, p.first), 1.0)
        XCTAssertEqual(probability(GaussianBlur.self, p.second), 0.1)
        XCTAssertEqual(probability(RandomSolarize.self, p.first), 0.0)
        XCTAssertEqual(probability(RandomSolarize.self, p.second), 0.2)
        let simclr = ViewPipelines.simclr()
        let jitter = simclr.first.steps.compactMap { $0 as? ColorJitter }.first
        XCTAssertEqual(jitter?.brightness ?? 0, 0.4, accuracy: 1e-6)
        XCTAssertEqual(jitter?.hue ?? 0, 0.1, accuracy: 1e-6)
    }

    func testUnknownPipelineAndBadArgumentsThrow() {
        XCTAssertThrowsError(try ViewPipelines.named("simsiam-xl")) { error in
            XCTAssertTrue("\(error)".contains("simclr"), "the message lists the known names")
        }
        XCTAssertThrowsError(try ViewPipelines.named("simclr", imageSize: 0))
        XCTAssertThrowsError(try ViewPipelines.named("simclr", minScale: 1.5))
    }

    func testMinScaleOverride() throws {
        let p = try ViewPipelines.named("simclr", imageSize: 16, minScale: 0.35)
        let crop = p.first.steps.compactMap { $0 as? RandomResizedCrop }.first
        XCTAssertEqual(crop?.scale.lowerBound, 0.35)
        XCTAssertEqual(crop?.size, 16)
    }

    func testSimCLRAtToyScaleHidesThePalette() throws {
        // At 16×16 `simclr` is the pilot's recipe: any hue and crops from 0.35; at 32×32 the
        // CIFAR one: hue ±0.1 and crops from 0.08.
        func parts(_ size: Int) throws -> (hue: Float?, minScale: Float?, noise: Bool) {
            let steps = try ViewPipelines.named("simclr", imageSize: size).first.steps
            return ((steps.compactMap { $0 as? ColorJitter }.first)?.hue,
                    (steps.compactMap { $0 as? RandomResizedCrop }.first)?.scale.lowerBound,
                    steps.contains { $0 is GaussianNoise })
        }
        let toy = try parts(16), cifar = try parts(32)
        XCTAssertEqual(toy.hue, 0.5)
        XCTAssertEqual(toy.minScale, 0.35)
        XCTAssertTrue(toy.noise)
        XCTAssertEqual(cifar.hue ?? 0, 0.1, accuracy: 1e-6)
        XCTAssertEqual(cifar.minScale, 0.08)
        XCTAssertFalse(cifar.noise)
    }
}
