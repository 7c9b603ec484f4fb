import LabSupport
import TensorCore

/// One image as augmentations see it: planar channels (C×H×W, row-major), values in [0, 1].
///
/// A value type: an augmentation takes it `inout` and may change its size (a resized crop
/// does). Batches are `Tensor`s of shape `[N, C, H, W]`; `Pipeline` cuts them into
/// `ImageBuffer`s, transforms each one and stacks the results.
public struct ImageBuffer: Equatable, Sendable {
    public var channels: Int
    public var height: Int
    public var width: Int
    /// `channels * height * width` values, channel planes one after another.
    public var pixels: [Float]

    public init(channels: Int, height: Int, width: Int, pixels: [Float]) {
        precondition(pixels.count == channels * height * width,
                     "ImageBuffer: \(pixels.count) values do not fill [\(channels), \(height), \(width)]")
        self.channels = channels
        self.height = height
        self.width = width
        self.pixels = pixels
    }

    /// An image filled with one value.
    public init(channels: Int, height: Int, width: Int, value: Float = 0) {
        self.init(channels: channels, height: height, width: width,
                  pixels: [Float](repeating: value, count: channels * height * width))
    }

    /// The number of pixels in one channel plane.
    public var planeSize: Int { height * width }

    /// The value at channel `c`, row `y`, column `x`.
    public subscript(c: Int, y: Int, x: Int) -> Float {
        get { pixels[(c * height + y) * width + x] }
        set { pixels[(c * height + y) * width + x] = newValue }
    }

    /// Image `index` of an `[N, C, H, W]` batch.
    public init(batch: Tensor, index: Int) {
        precondition(batch.rank == 4, "ImageBuffer: a batch must be [N, C, H, W], got \(formatShape(batch.shape))")
        let (c, h, w) = (batch.shape[1], batch.shape[2], batch.shape[3])
        let size = c * h * w
        self.init(channels: c, height: h, width: w, pixels: Array(batch.data[index * size..<(index + 1) * size]))
    }

    /// The image as a `[C, H, W]` tensor.
    public var tensor: Tensor { Tensor(shape: [channels, height, width], data: pixels) }
}

/// An error a script can cause by augmenting something that is not an image batch.
public enum AugmentationError: Error, Equatable, CustomStringConvertible {
    case invalidInput(op: String, message: String)
    case unknownPipeline(name: String, known: [String])

    public var description: String {
        switch self {
        case let .invalidInput(op, message): return Messages.text("{function}: {message}", ["function": op, "message": message])
        case let .unknownPipeline(name, known):
            return Messages.text("unknown augmentation pipeline '{name}'; known: {known}", ["name": name, "known": known.joined(separator: ", ")])
        }
    }
}
