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
    /// Throws if the parameters are invalid, or invalid for an input of this size.
    /// `Pipeline` validates every step before it touches a batch, so parameters that come
    /// from a script give an error message rather than a trap.
    func validate(height: Int, width: Int) throws
}

extension Augmentation {
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) { (height, width) }
    public func validate(height: Int, width: Int) throws {}

    /// Transforms the image with probability `probability`.
    public func apply(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        if probability >= 1 || (probability > 0 && rng.bernoulli(probability)) {
            transform(&image, using: &rng)
        }
    }
}

/// Throws `AugmentationError.invalidInput` for `op` with `message` unless `condition` holds.
func require(_ condition: Bool, _ op: String, _ message: @autoclosure () -> String) throws {
    if !condition { throw AugmentationError.invalidInput(op: op, message: message()) }
}
