import LabSupport
import TensorCore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Crops a random box and resizes it to `size`×`size` (torchvision `RandomResizedCrop`).
///
/// The box is drawn as torchvision does: up to 10 tries of area = H·W·U(scale) and
/// aspect ratio w/h = exp(U(log ratio)), w = round(√(area·ratio)), h = round(√(area/ratio))
/// (round half to even, as Python), accepted if it fits, at a uniform position; otherwise a
/// central crop clamped to the ratio range. The box is resized with the anti-aliased
/// bilinear filter of `resized_crop(..., antialias=True)`.
/// Defaults are torchvision's: scale 0.08–1, ratio 3/4–4/3, probability 1.
public struct RandomResizedCrop: Augmentation {
    public var size: Int
    public var scale: ClosedRange<Float>
    public var ratio: ClosedRange<Float>
    public var probability: Float

    public init(size: Int, scale: ClosedRange<Float> = 0.08...1, ratio: ClosedRange<Float> = (3.0 / 4)...(4.0 / 3),
                probability: Float = 1) {
        self.size = size; self.scale = scale; self.ratio = ratio; self.probability = probability
    }

    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) { (size, size) }

    public func validate(height: Int, width: Int) throws {
        try require(size >= 1, "random_resized_crop", Messages.text("output size {size} must be positive", ["size": "\(size)"]))
        try require(scale.lowerBound > 0 && scale.upperBound <= 1, "random_resized_crop", Messages.text("scale {scale} must lie in (0, 1]", ["scale": "\(scale)"]))
        try require(ratio.lowerBound > 0, "random_resized_crop", Messages.text("aspect ratios {ratio} must be positive", ["ratio": "\(ratio)"]))
    }

    /// The crop box (top, left, height, width) for an image of the given size.
    public func box(height: Int, width: Int, using rng: inout RandomGenerator) -> (top: Int, left: Int, height: Int, width: Int) {
        let area = Float(height * width)
        let logLow = log(ratio.lowerBound), logHigh = log(ratio.upperBound)
        for _ in 0..<10 {
            let target = area * rng.nextFloat(in: scale.lowerBound, scale.upperBound)
            let aspect = exp(rng.nextFloat(in: logLow, logHigh))
            let w = Int((target * aspect).squareRoot().rounded(.toNearestOrEven))
            let h = Int((target / aspect).squareRoot().rounded(.toNearestOrEven))
            if w > 0 && w <= width && h > 0 && h <= height {
                let top = rng.nextInt(below: height - h + 1)
                let left = rng.nextInt(below: width - w + 1)
                return (top, left, h, w)
            }
        }
        let inRatio = Float(width) / Float(height)
        var w = width, h = height
        if inRatio < ratio.lowerBound {
            h = Int((Float(w) / ratio.lowerBound).rounded(.toNearestOrEven))
        } else if inRatio > ratio.upperBound {
            w = Int((Float(h) * ratio.upperBound).rounded(.toNearestOrEven))
        }
        return ((height - h) / 2, (width - w) / 2, h, w)
    }

    public func transform(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        let b = box(height: image.height, width: image.width, using: &rng)
        image = resampleCropBox(image, top: b.top, left: b.left, height: b.height, width: b.width,
                             outputHeight: size, outputWidth: size)
    }
}

/// Mirrors the image left–right (torchvision `RandomHorizontalFlip`, default p 0.5).
public struct HorizontalFlip: Augmentation {
    public var probability: Float
    public init(probability: Float = 0.5) { self.probability = probability }

    public func transform(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        let w = image.width
        image.pixels.withUnsafeMutableBufferPointer { p in
            for row in 0..<(image.channels * image.height) {
                let base = row * w
                var (i, j) = (base, base + w - 1)
                while i < j { p.swapAt(i, j); i += 1; j -= 1 }
            }
        }
    }
}

/// Mirrors the image top–bottom (torchvision `RandomVerticalFlip`, default p 0.5).
public struct VerticalFlip: Augmentation {
    public var probability: Float
    public init(probability: Float = 0.5) { self.probability = probability }

    public func transform(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        let (h, w) = (image.height, image.width)
        image.pixels.withUnsafeMutableBufferPointer { p in
            for c in 0..<image.channels {
                for y in 0..<(h / 2) {
                    let a = (c * h + y) * w, b = (c * h + h - 1 - y) * w
                    for x in 0..<w { p.swapAt(a + x, b + x) }
                }
            }
        }
    }
}

/// Rotates by a random multiple of 90° (k ∈ {0, 1, 2, 3} uniform, counter-clockwise, as
/// lightly's `RandomRotate` with no angle range). A non-square image keeps its size, so
/// there k is drawn from {0, 2} only (a quarter turn would change the batch's shape).
public struct RandomRotation90: Augmentation {
    public var probability: Float
    public init(probability: Float = 0.5) { self.probability = probability }

    public func transform(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        let square = image.height == image.width
        let k = square ? rng.nextInt(below: 4) : 2 * rng.nextInt(below: 2)
        guard k != 0 else { return }
        let (h, w) = (image.height, image.width)
        var out = image
        for c in 0..<image.channels {
            for y in 0..<h {
                for x in 0..<w {
                    // Source of output pixel (y, x) for k counter-clockwise quarter turns.
                    let (sy, sx): (Int, Int)
                    switch k {
                    case 1: (sy, sx) = (x, w - 1 - y)
                    case 2: (sy, sx) = (h - 1 - y, w - 1 - x)
                    default: (sy, sx) = (h - 1 - x, y)
                    }
                    out.pixels[(c * h + y) * w + x] = image.pixels[(c * h + sy) * w + sx]
                }
            }
        }
        image = out
    }
}

/// Rotates by a uniform angle in `degrees` about the centre, bilinear, `fill` outside
/// (torchvision `RandomRotation(degrees, InterpolationMode.BILINEAR, fill)`; positive
/// angles turn the picture counter-clockwise).
public struct RandomRotation: Augmentation {
    public var degrees: ClosedRange<Float>
    public var fill: Float
    public var probability: Float
    public init(degrees: ClosedRange<Float>, fill: Float = 0, probability: Float = 1) {
        self.degrees = degrees; self.fill = fill; self.probability = probability
    }

    public func transform(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        let angle = rng.nextFloat(in: degrees.lowerBound, degrees.upperBound)
        image = rotate(image, degrees: angle, fill: fill)
    }
}

/// Rotates an image by `degrees` counter-clockwise about its centre (bilinear).
public func rotate(_ image: ImageBuffer, degrees: Float, fill: Float = 0) -> ImageBuffer {
    let t = degrees * Float.pi / 180
    // With y pointing down, a counter-clockwise turn by t sends the output point p back to
    // the source point (pₓ cos t − p_y sin t, pₓ sin t + p_y cos t).
    return warpAffine(image, inverse: (cos(t), -sin(t), sin(t), cos(t), 0, 0), fill: fill)
}

/// A random similarity transform: rotation by U(−degrees, degrees), scaling by U(scale) and
/// translation by U(−maxShift, maxShift) pixels on each axis, about the centre, bilinear,
/// `fill` outside (torchvision `RandomAffine` without shear, translation in pixels).
/// The digits pipeline uses ±15°, ±1 px, scale 0.9–1.1: the ranges with which a PyTorch
/// pilot at this scale learned useful features of the 8×8 digits.
public struct RandomAffine: Augmentation {
    public var degrees: Float
    public var maxShift: Float
    public var scale: ClosedRange<Float>
    public var fill: Float
    public var probability: Float
    public init(degrees: Float, maxShift: Float = 0, scale: ClosedRange<Float> = 1...1, fill: Float = 0,
                probability: Float = 1) {
        self.degrees = degrees; self.maxShift = maxShift; self.scale = scale
        self.fill = fill; self.probability = probability
    }

    public func validate(height: Int, width: Int) throws {
        try require(scale.lowerBound > 0, "random_affine", Messages.text("scale {scale} must be positive", ["scale": "\(scale)"]))
        try require(degrees >= 0 && maxShift >= 0, "random_affine", Messages.text("degrees and shift must not be negative"))
    }

    public func transform(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        let angle = rng.nextFloat(in: -degrees, degrees)
        let s = rng.nextFloat(in: scale.lowerBound, scale.upperBound)
        let dx = rng.nextFloat(in: -maxShift, maxShift), dy = rng.nextFloat(in: -maxShift, maxShift)
        image = affine(image, degrees: angle, translate: (dx, dy), scale: s, fill: fill)
    }
}

/// The image turned `degrees` counter-clockwise and scaled by `scale` about its centre,
/// then moved by `translate` pixels (x right, y down); bilinear, `fill` outside.
/// Equals torchvision's `affine(img, angle=-degrees, translate, scale, shear=[0, 0],
/// interpolation=BILINEAR)` (torchvision's `affine` counts angles clockwise, `rotate`
/// counter-clockwise).
public func affine(_ image: ImageBuffer, degrees: Float, translate: (Float, Float), scale: Float,
                   fill: Float = 0) -> ImageBuffer {
    let t = degrees * Float.pi / 180
    // Forward map p ↦ s·R(t)·p + d, R(t) a counter-clockwise turn with y down; the warp
    // needs the inverse q ↦ R(−t)(q − d)/s.
    let (c, sn) = (cos(t) / scale, sin(t) / scale)
    let (a, b, cc, d) = (c, -sn, sn, c)
    let (dx, dy) = translate
    return warpAffine(image, inverse: (a, b, cc, d, -(a * dx + b * dy), -(cc * dx + d * dy)), fill: fill)
}

/// Shifts the image by whole pixels, dx and dy uniform in −maxShift…maxShift, filling the
/// uncovered border with `fill` (no interpolation).
public struct RandomTranslation: Augmentation {
    public var maxShift: Int
    public var fill: Float
    public var probability: Float
    public init(maxShift: Int, fill: Float = 0, probability: Float = 1) {
        self.maxShift = maxShift; self.fill = fill; self.probability = probability
    }

    public func validate(height: Int, width: Int) throws {
        try require(maxShift >= 0, "random_translation", Messages.text("max shift {shift} must not be negative", ["shift": "\(maxShift)"]))
    }

    public func transform(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        let dx = rng.nextInt(below: 2 * maxShift + 1) - maxShift
        let dy = rng.nextInt(below: 2 * maxShift + 1) - maxShift
        image = translate(image, dx: dx, dy: dy, fill: fill)
    }
}

/// The image moved `dx` pixels right and `dy` down, `fill` where nothing moved in.
public func translate(_ image: ImageBuffer, dx: Int, dy: Int, fill: Float = 0) -> ImageBuffer {
    let (h, w) = (image.height, image.width)
    var out = ImageBuffer(channels: image.channels, height: h, width: w, value: fill)
    for c in 0..<image.channels {
        for y in max(0, dy)..<max(max(0, dy), min(h, h + dy)) {
            for x in max(0, dx)..<max(max(0, dx), min(w, w + dx)) {
                out.pixels[(c * h + y) * w + x] = image.pixels[(c * h + y - dy) * w + x - dx]
            }
        }
    }
    return out
}

/// Crops the box (`top`, `left`, `height`, `width`) and resizes it to
/// `outputHeight`×`outputWidth` exactly as torchvision's
/// `resized_crop(img, top, left, height, width, [outputHeight, outputWidth], antialias=True)`.
/// Throws if the box is empty or leaves the image.
public func resizedCrop(_ image: ImageBuffer, top: Int, left: Int, height: Int, width: Int,
                        outputHeight: Int, outputWidth: Int) throws -> ImageBuffer {
    guard height >= 1, width >= 1, top >= 0, left >= 0, top + height <= image.height,
          left + width <= image.width, outputHeight >= 1, outputWidth >= 1 else {
        throw AugmentationError.invalidInput(op: "resized_crop",
            message: Messages.text("box top {top}, left {left}, {height}×{width} → {outputHeight}×{outputWidth} does not fit an image of {imageHeight}×{imageWidth}",
                ["top": "\(top)", "left": "\(left)", "height": "\(height)", "width": "\(width)", "outputHeight": "\(outputHeight)",
                 "outputWidth": "\(outputWidth)", "imageHeight": "\(image.height)", "imageWidth": "\(image.width)"]))
    }
    return resampleCropBox(image, top: top, left: left, height: height, width: width,
                        outputHeight: outputHeight, outputWidth: outputWidth)
}
