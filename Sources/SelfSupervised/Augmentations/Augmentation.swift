import TensorCore

/// A random image transformation with its parameters, applied with a probability.
///
/// Conforming types are small value types (`HorizontalFlip(probability: 0.5)`,
/// `GaussianBlur(kernelSize: 3, sigma: 0.1...2)`). `transform` always applies the
/// transformation, drawing whatever random parameters it needs from `rng`;
/// `apply` first decides, with `probability`, whether to apply it at all (no number is
/// drawn when the probability is 0 or 1). Run one on a batch with `Pipeline([aug])`.
public protocol Augmentation: Sendable {
    /// The probability that the transformation is applied to an image.
    var probability: Float { get }
    /// Transforms one image unconditionally.
    func transform(_ image: inout ImageBuffer, using rng: inout RandomGenerator)
    /// The size of the output for an input of the given size (default: unchanged).
    func outputSize(height: Int, width: Int) -> (height: Int, width: Int)
}

extension Augmentation {
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) { (height, width) }

    /// Transforms the image with probability `probability`.
    public func apply(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        if probability >= 1 || (probability > 0 && rng.bernoulli(probability)) {
            transform(&image, using: &rng)
        }
    }
}
