import LabSupport
import TensorCore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Blurs with a Gaussian of standard deviation σ ~ U(sigma) (torchvision `GaussianBlur`).
///
/// As torchvision's `gaussian_blur`: the 1-D kernel has `kernelSize` (odd) taps at
/// x = −(k−1)/2 … (k−1)/2 with weights exp(−x²/2σ²) normalised to sum 1, applied along
/// rows and then columns, with reflect padding (`…, c, b | a, b, c, … `). lightly blurs
/// with PIL's `GaussianBlur(radius = σ)` instead, whose kernel is as wide as σ needs; at
/// 32×32 we use torchvision's form with a small kernel (3 taps in every named pipeline),
/// so even σ = 2 only softens edges.
public struct GaussianBlur: Augmentation {
    public var kernelSize: Int
    public var sigma: ClosedRange<Float>
    public var probability: Float
    public init(kernelSize: Int = 3, sigma: ClosedRange<Float> = 0.1...2, probability: Float = 0.5) {
        self.kernelSize = kernelSize; self.sigma = sigma; self.probability = probability
    }

    public func validate(height: Int, width: Int) throws {
        try require(kernelSize >= 1 && kernelSize % 2 == 1, "gaussian_blur", Messages.text("kernel size {size} must be odd and positive", ["size": "\(kernelSize)"]))
        try require(sigma.lowerBound > 0, "gaussian_blur", Messages.text("σ must be positive, got {sigma}", ["sigma": "\(sigma)"]))
        try require(kernelSize / 2 < min(height, width), "gaussian_blur",
                    Messages.text("kernel size {size} is too large for {height}×{width} images", ["size": "\(kernelSize)", "height": "\(height)", "width": "\(width)"]))
    }

    public func transform(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        let s = rng.nextFloat(in: sigma.lowerBound, sigma.upperBound)
        gaussianBlur(&image, kernelSize: kernelSize, sigma: s)
    }
}

/// The normalised 1-D Gaussian kernel torchvision uses for `gaussian_blur`.
public func gaussianKernel(size: Int, sigma: Float) -> [Float] {
    let half = Float(size - 1) / 2
    var k = (0..<size).map { i -> Float in
        let x = Float(i) - half
        return exp(-0.5 * (x / sigma) * (x / sigma))
    }
    let total = k.reduce(0, +)
    for i in k.indices { k[i] /= total }
    return k
}

/// Blurs one image in place with a `kernelSize`-tap Gaussian of standard deviation `sigma`
/// (separable, reflect padding), as torchvision's `gaussian_blur(img, [k, k], [σ, σ])`.
/// The kernel must be narrower than twice the image (reflect padding needs pad < size).
public func gaussianBlur(_ image: inout ImageBuffer, kernelSize: Int, sigma: Float) {
    let k = gaussianKernel(size: kernelSize, sigma: sigma)
    let pad = kernelSize / 2
    let (h, w) = (image.height, image.width)
    precondition(pad < h && pad < w, "gaussianBlur: kernel \(kernelSize) too large for a \(h)×\(w) image")
    @inline(__always) func reflect(_ i: Int, _ n: Int) -> Int {
        i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i)
    }
    var temp = [Float](repeating: 0, count: image.pixels.count)
    image.pixels.withUnsafeMutableBufferPointer { p in
        temp.withUnsafeMutableBufferPointer { t in
            k.withUnsafeBufferPointer { kk in
                for c in 0..<image.channels {
                    let plane = c * h * w
                    // Rows: interior columns without index checks, the borders reflected.
                    for y in 0..<h {
                        let row = plane + y * w
                        for x in 0..<w {
                            var acc: Float = 0
                            if x >= pad && x + pad < w {
                                for j in 0..<kernelSize { acc += kk[j] * p[row + x - pad + j] }
                            } else {
                                for j in 0..<kernelSize { acc += kk[j] * p[row + reflect(x - pad + j, w)] }
                            }
                            t[row + x] = acc
                        }
                    }
                    // Columns.
                    for y in 0..<h {
                        let out = plane + y * w
                        for x in 0..<w { p[out + x] = 0 }
                        for j in 0..<kernelSize {
                            let src = plane + reflect(y - pad + j, h) * w
                            let kj = kk[j]
                            for x in 0..<w { p[out + x] += kj * t[src + x] }
                        }
                    }
                }
            }
        }
    }
}
