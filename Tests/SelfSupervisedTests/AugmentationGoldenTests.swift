import XCTest
@testable import SelfSupervised

/// The test image of the golden values: value k (flat index) is ((37k + 11) mod 129) / 128,
/// exact in Float32 in both Swift and PyTorch.
func goldenImage(_ c: Int, _ h: Int, _ w: Int) -> ImageBuffer {
    ImageBuffer(channels: c, height: h, width: w,
                pixels: (0..<(c * h * w)).map { Float((($0 * 37 + 11) % 129)) / 128 })
}

func assertClose(_ got: [Float], _ want: [Float], tolerance: Float = 1e-5,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(got.count, want.count, "value count", file: file, line: line)
    let worst = zip(got, want).map { abs($0 - $1) }.max() ?? 0
    XCTAssertLessThanOrEqual(worst, tolerance, "largest difference \(worst)", file: file, line: line)
}

/// Our colour and geometry functions against torchvision's functional ops (values in
/// AugmentationGoldenValues.swift, each with the line that produced it).
final class AugmentationGoldenTests: XCTestCase {
    func testBrightness() {
        var x = goldenImage(3, 4, 5)
        adjustBrightness(&x, factor: 1.3)
        assertClose(x.pixels, TorchvisionGolden.brightness)
    }

    func testContrast() {
        var x = goldenImage(3, 4, 5)
        adjustContrast(&x, factor: 0.6)
        assertClose(x.pixels, TorchvisionGolden.contrast)
        var y = goldenImage(3, 4, 5)
        adjustContrast(&y, factor: 1.4)
        assertClose(y.pixels, TorchvisionGolden.contrastHigh)
    }

    func testSaturation() {
        var x = goldenImage(3, 4, 5)
        adjustSaturation(&x, factor: 1.7)
        assertClose(x.pixels, TorchvisionGolden.saturation)
    }

    func testHue() {
        var x = goldenImage(3, 4, 5)
        adjustHue(&x, factor: 0.13)
        assertClose(x.pixels, TorchvisionGolden.hue)
        var y = goldenImage(3, 4, 5)
        adjustHue(&y, factor: -0.41)
        assertClose(y.pixels, TorchvisionGolden.hueNegative)
    }

    func testGrayscale() {
        var x = goldenImage(3, 4, 5)
        grayscale(&x)
        assertClose(x.pixels, TorchvisionGolden.grayscale)
    }

    func testSolarize() {
        var x = goldenImage(3, 4, 5)
        solarize(&x, threshold: 0.5)
        assertClose(x.pixels, TorchvisionGolden.solarize, tolerance: 0)
    }

    func testResizedCropUpsampling() throws {
        let out = try resizedCrop(goldenImage(3, 8, 8), top: 1, left: 2, height: 5, width: 4,
                                  outputHeight: 7, outputWidth: 6)
        XCTAssertEqual([out.channels, out.height, out.width], [3, 7, 6])
        assertClose(out.pixels, TorchvisionGolden.cropUp)
    }

    func testResizedCropDownsamplingIsAntialiased() throws {
        let out = try resizedCrop(goldenImage(3, 8, 8), top: 0, left: 1, height: 8, width: 7,
                                  outputHeight: 3, outputWidth: 5)
        XCTAssertEqual([out.channels, out.height, out.width], [3, 3, 5])
        assertClose(out.pixels, TorchvisionGolden.cropDown)
    }

    func testResizedCropRejectsBoxOutsideImage() {
        XCTAssertThrowsError(try resizedCrop(goldenImage(3, 8, 8), top: 4, left: 0, height: 5, width: 4,
                                             outputHeight: 4, outputWidth: 4))
    }

    func testGaussianBlur() {
        var x = goldenImage(3, 6, 7)
        gaussianBlur(&x, kernelSize: 3, sigma: 0.8)
        assertClose(x.pixels, TorchvisionGolden.blur3)
        var y = goldenImage(3, 6, 7)
        gaussianBlur(&y, kernelSize: 5, sigma: 1.5)
        assertClose(y.pixels, TorchvisionGolden.blur5)
    }

    func testRotateAndAffine() {
        assertClose(rotate(goldenImage(3, 6, 7), degrees: 30).pixels, TorchvisionGolden.rotate30)
        let out = affine(goldenImage(3, 6, 7), degrees: 12, translate: (1, -1), scale: 1.1)
        assertClose(out.pixels, TorchvisionGolden.affine)
    }
}
