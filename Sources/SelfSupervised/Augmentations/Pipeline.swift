import LabSupport
import TensorCore

/// A sequence of augmentations applied to each image of a batch in turn
/// (torchvision's `Compose`).
///
/// Randomness: `apply(to:using:)` draws one 64-bit seed per image from `rng`, in image
/// order, then transforms the images in parallel, image i with its own generator seeded
/// from seed i. So the result depends only on the generator's state, never on the number
/// of threads: the same seed gives the same views, bit for bit.
public struct Pipeline: Sendable {
    public var steps: [any Augmentation]

    public init(_ steps: [any Augmentation]) { self.steps = steps }

    /// The identity pipeline.
    public static let identity = Pipeline([])

    /// Transforms one image through every step.
    public func apply(_ image: inout ImageBuffer, using rng: inout RandomGenerator) {
        for step in steps { step.apply(&image, using: &rng) }
    }

    /// The output size for an input of the given size.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        steps.reduce((height, width)) { $1.outputSize(height: $0.height, width: $0.width) }
    }

    /// Checks every step's parameters (and probability) for images of the given size.
    public func validate(height: Int, width: Int) throws {
        var size = (height: height, width: width)
        for step in steps {
            try require((0...1).contains(step.probability), "augment",
                        Messages.text("probability {probability} of {step} must lie in [0, 1]",
                                      ["probability": "\(step.probability)", "step": "\(type(of: step))"]))
            try step.validate(height: size.height, width: size.width)
            size = step.outputSize(height: size.height, width: size.width)
        }
    }

    /// Augments every image of an `[N, C, H, W]` batch; throws if `batch` is not one.
    /// `threads` defaults to `computeThreads()` (`--threads`).
    public func apply(to batch: Tensor, using rng: inout RandomGenerator, threads: Int? = nil) throws -> Tensor {
        guard batch.rank == 4 else {
            throw AugmentationError.invalidInput(op: "augment", message: Messages.text("expected an image batch [N, C, H, W], got {shape}", ["shape": formatShape(batch.shape)]))
        }
        let (n, c, h, w) = (batch.shape[0], batch.shape[1], batch.shape[2], batch.shape[3])
        guard h >= 1, w >= 1, c >= 1 else {
            throw AugmentationError.invalidInput(op: "augment", message: Messages.text("empty images in batch {shape}", ["shape": formatShape(batch.shape)]))
        }
        try validate(height: h, width: w)
        let (oh, ow) = outputSize(height: h, width: w)
        let seeds = (0..<n).map { _ in rng.next() }
        let inSize = c * h * w, outSize = c * oh * ow
        guard n > 0 else { return Tensor(shape: [0, c, oh, ow], data: []) }
        var out = [Float](repeating: 0, count: n * outSize)
        let input = batch.data
        let pipeline = self
        // In chunks of about 2^20 input elements, polling cancellation between them on this
        // thread (the run's: the workers are not bound to it). Each image depends only on
        // its own seed, so the chunks change nothing in the result.
        let chunk = Swift.max(1, (1 << 20) / Swift.max(inSize, 1))
        var first = 0
        while first < n {
            try OperationCancellation.check("augment")
            let base = first, count = Swift.min(chunk, n - first)
            out.withUnsafeMutableBufferPointer { o in
                let dst = SendableMutablePointer(o.baseAddress!)
                parallelFor(count, threads: threads ?? computeThreads()) { j in
                    let i = base + j
                    var image = ImageBuffer(channels: c, height: h, width: w,
                                            pixels: Array(input[i * inSize..<(i + 1) * inSize]))
                    var local = RandomGenerator(seed: seeds[i])
                    pipeline.apply(&image, using: &local)
                    precondition(image.pixels.count == outSize,
                                 "Pipeline: a step produced [\(image.channels), \(image.height), \(image.width)], expected [\(c), \(oh), \(ow)]")
                    image.pixels.withUnsafeBufferPointer { p in
                        (dst.p + i * outSize).update(from: p.baseAddress!, count: outSize)
                    }
                }
            }
            first += count
        }
        return Tensor(shape: [n, c, oh, ow], data: out)
    }
}

/// Two pipelines, one per view: the two views of a joint-embedding method. Symmetric
/// methods (SimCLR, MoCo, VICReg) use the same pipeline twice; BYOL and Barlow Twins
/// differ in blur and solarization between the views.
public struct ViewPipelines: Sendable {
    public var first: Pipeline
    public var second: Pipeline

    public init(first: Pipeline, second: Pipeline) { self.first = first; self.second = second }
    /// The same pipeline for both views.
    public init(_ both: Pipeline) { self.init(first: both, second: both) }

    /// Two augmented views of every image of the batch. The first view uses the generator
    /// as it is and the second continues from where the first left off, so one seed fixes both.
    public func views(of batch: Tensor, using rng: inout RandomGenerator, threads: Int? = nil) throws -> (Tensor, Tensor) {
        let a = try first.apply(to: batch, using: &rng, threads: threads)
        let b = try second.apply(to: batch, using: &rng, threads: threads)
        return (a, b)
    }
}
