import LabSupport
import TensorCore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Adds independent N(0, std²) noise to every value, then (if `clip`) clamps to [0, 1]
/// (torchvision v2 `GaussianNoise(mean 0, sigma, clip=True)`).
public struct GaussianNoise: Augmentation {
    public var std: Float
    public var clip: Bool
    public var probability: Float
    public init(std: Float = 0.1, clip: Bool = true, probability: Float = 1) {
        self.std = std; self.clip = clip; self.probability = probability
    }
    public func validate(height: Int, width: Int) throws {
        try require(std >= 0, "gaussian_noise", Messages.text("standard deviation {std} must not be negative", ["std": "\(std)"]))
    }

    public func transform(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        for i in image.pixels.indices {
            let v = image.pixels[i] + std * rng.nextNormal()
            image.pixels[i] = clip ? clampToUnit(v) : v
        }
    }
}

/// Cutout / random erasing (torchvision `RandomErasing`, same defaults): a box of area
/// H·W·U(scale) and aspect ratio exp(U(log ratio)), h = round(√(area·ratio)),
/// w = round(√(area/ratio)), at a uniform position, is set to `value` in every channel;
/// up to 10 tries to find a box smaller than the image, else nothing is erased.
public struct RandomErasing: Augmentation {
    public var scale: ClosedRange<Float>
    public var ratio: ClosedRange<Float>
    public var value: Float
    public var probability: Float
    public init(scale: ClosedRange<Float> = 0.02...0.33, ratio: ClosedRange<Float> = 0.3...3.3,
                value: Float = 0, probability: Float = 0.5) {
        self.scale = scale; self.ratio = ratio; self.value = value; self.probability = probability
    }

    public func validate(height: Int, width: Int) throws {
        try require(scale.lowerBound >= 0 && ratio.lowerBound > 0, "random_erasing",
                    Messages.text("scale {scale} must not be negative and ratios {ratio} must be positive", ["scale": "\(scale)", "ratio": "\(ratio)"]))
    }

    public func transform(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        let (H, W) = (image.height, image.width)
        let area = Float(H * W)
        for _ in 0..<10 {
            let target = area * rng.nextFloat(in: scale.lowerBound, scale.upperBound)
            let aspect = exp(rng.nextFloat(in: log(ratio.lowerBound), log(ratio.upperBound)))
            let h = Int((target * aspect).squareRoot().rounded(.toNearestOrEven))
            let w = Int((target / aspect).squareRoot().rounded(.toNearestOrEven))
            guard h < H && w < W else { continue }
            let top = rng.nextInt(below: H - h + 1), left = rng.nextInt(below: W - w + 1)
            for c in 0..<image.channels {
                for y in top..<(top + h) {
                    for x in left..<(left + w) { image.pixels[(c * H + y) * W + x] = value }
                }
            }
            return
        }
    }
}

/// Patch masking for masked prediction (MAE-style): the image is cut into a grid of
/// `patchSize`×`patchSize` patches (a partial last row/column of pixels forms smaller
/// patches) and round(`maskRatio` · patches) of them, chosen uniformly without
/// replacement, are set to `fill`. `masked(_:using:)` also returns which patches.
public struct PatchMasking: Augmentation {
    public var patchSize: Int
    public var maskRatio: Float
    public var fill: Float
    public var probability: Float
    public init(patchSize: Int, maskRatio: Float, fill: Float = 0, probability: Float = 1) {
        self.patchSize = patchSize; self.maskRatio = maskRatio; self.fill = fill; self.probability = probability
    }

    public func validate(height: Int, width: Int) throws {
        try require(patchSize >= 1, "patch_mask", Messages.text("patch size {size} must be positive", ["size": "\(patchSize)"]))
        try require((0...1).contains(maskRatio), "patch_mask", Messages.text("mask ratio {ratio} must lie in [0, 1]", ["ratio": "\(maskRatio)"]))
    }

    /// The patch grid (rows, columns) of an image.
    public func grid(height: Int, width: Int) -> (rows: Int, columns: Int) {
        ((height + patchSize - 1) / patchSize, (width + patchSize - 1) / patchSize)
    }

    /// Draws the mask (row-major over the patch grid, true = masked) and applies it.
    public func maskAndApply(_ image: inout ImageBuffer, using rng: inout RandomGenerator) -> [Bool] {
        let g = grid(height: image.height, width: image.width)
        let n = g.rows * g.columns
        let k = Int((maskRatio * Float(n)).rounded(.toNearestOrEven))
        var mask = [Bool](repeating: false, count: n)
        for p in rng.permutation(n).prefix(k) { mask[p] = true }
        let (H, W) = (image.height, image.width)
        for p in 0..<n where mask[p] {
            let top = (p / g.columns) * patchSize, left = (p % g.columns) * patchSize
            for c in 0..<image.channels {
                for y in top..<min(H, top + patchSize) {
                    for x in left..<min(W, left + patchSize) { image.pixels[(c * H + y) * W + x] = fill }
                }
            }
        }
        return mask
    }

    public func transform(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        _ = maskAndApply(&image, using: &rng)
    }

    /// Masks every image of an `[N, C, H, W]` batch (probability ignored: all are masked)
    /// and returns the masked batch and the mask `[N, rows, columns]` (1 = masked).
    /// Image i uses a seed drawn from `rng` in order, so results do not depend on `threads`.
    public func masked(_ batch: Tensor, using rng: inout RandomGenerator, threads: Int? = nil) throws -> (images: Tensor, mask: Tensor) {
        guard batch.rank == 4 else {
            throw AugmentationError.invalidInput(op: "patch_mask", message: Messages.text("expected an image batch [N, C, H, W], got {shape}", ["shape": formatShape(batch.shape)]))
        }
        let (n, c, h, w) = (batch.shape[0], batch.shape[1], batch.shape[2], batch.shape[3])
        try validate(height: h, width: w)
        let g = grid(height: h, width: w)
        guard n > 0, c * h * w > 0 else {
            return (batch, Tensor(shape: [n, g.rows, g.columns], data: [Float](repeating: 0, count: n * g.rows * g.columns)))
        }
        let seeds = (0..<n).map { _ in rng.next() }
        var out = batch.data
        var mask = [Float](repeating: 0, count: n * g.rows * g.columns)
        let size = batch.count / max(n, 1)
        let cells = g.rows * g.columns
        out.withUnsafeMutableBufferPointer { o in
            mask.withUnsafeMutableBufferPointer { m in
                let (op, mp) = (SendableMutablePointer(o.baseAddress!), SendableMutablePointer(m.baseAddress!))
                let input = batch.data
                parallelFor(n, threads: threads ?? computeThreads()) { i in
                    var image = ImageBuffer(channels: c, height: h, width: w,
                                            pixels: Array(input[i * size..<(i + 1) * size]))
                    var local = RandomGenerator(seed: seeds[i])
                    let bits = self.maskAndApply(&image, using: &local)
                    for j in 0..<size { op.p[i * size + j] = image.pixels[j] }
                    for j in 0..<cells { mp.p[i * cells + j] = bits[j] ? 1 : 0 }
                }
            }
        }
        return (Tensor(shape: batch.shape, data: out), Tensor(shape: [n, g.rows, g.columns], data: mask))
    }
}
