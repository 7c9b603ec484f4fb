import TensorCore

/// A labelled data set held in memory: the common type of every toy data set.
///
/// `inputs` has shape `[count, ...]` (images are `[count, channels, height, width]`, points
/// `[count, 2]`); `labels[i]` is the class of row `i`, an index into `classNames`.
/// `attributes` holds optional per-sample numbers by name (for `shapes`: `color`, `size`,
/// `center_x`, `center_y`, `rotation`), each array `count` long, and `boxes` optional
/// per-sample bounding boxes. Every operation returns a new data set; the input tensor is
/// never modified in place (do not mutate `inputs.data` of a data set you share).
public struct Dataset {
    /// A short name, e.g. `shapes` or `digits`.
    public var name: String
    /// The samples, `[count, ...]`.
    public let inputs: Tensor
    /// The class of each sample, in `0..<classNames.count`.
    public let labels: [Int]
    /// The name of each class.
    public let classNames: [String]
    /// Per-sample numeric attributes by name; each array has `count` elements.
    public let attributes: [String: [Float]]
    /// Per-sample bounding boxes (pixel coordinates), when the data set has them.
    public let boxes: [BoundingBox]?
    /// The seed the data set was generated from (nil for shipped data).
    public let seed: UInt64?

    /// Makes a data set; the arrays must agree with `inputs.shape[0]`.
    public init(name: String, inputs: Tensor, labels: [Int], classNames: [String],
                attributes: [String: [Float]] = [:], boxes: [BoundingBox]? = nil, seed: UInt64? = nil) {
        let n = inputs.shape.first ?? 0
        precondition(inputs.rank >= 1, "Dataset: inputs need a leading sample axis, got shape \(formatShape(inputs.shape))")
        precondition(labels.count == n, "Dataset: \(labels.count) labels for inputs of shape \(formatShape(inputs.shape))")
        precondition(labels.allSatisfy { $0 >= 0 && $0 < classNames.count },
                     "Dataset: labels must lie in 0..<\(classNames.count)")
        precondition(attributes.values.allSatisfy { $0.count == n }, "Dataset: every attribute needs \(n) values")
        precondition(boxes.map { $0.count == n } ?? true, "Dataset: boxes need \(n) entries")
        self.name = name
        self.inputs = inputs
        self.labels = labels
        self.classNames = classNames
        self.attributes = attributes
        self.boxes = boxes
        self.seed = seed
    }

    /// The number of samples.
    public var count: Int { labels.count }
    /// The shape of one sample, e.g. `[3, 32, 32]`.
    public var sampleShape: [Int] { Array(inputs.shape.dropFirst()) }
    /// The number of classes.
    public var classCount: Int { classNames.count }
    /// How many samples each class has, indexed by class.
    public var classCounts: [Int] {
        var c = [Int](repeating: 0, count: classNames.count)
        for l in labels { c[l] += 1 }
        return c
    }

    /// The inputs as a `[count, features]` matrix (images flattened row-major, C·H·W).
    public func flattenedInputs() -> Tensor {
        Tensor(shape: [count, sampleShape.reduce(1, *)], data: inputs.data)
    }

    /// The rows at `indices`, in that order (repeats allowed). Throws on an index out of range.
    public func selecting(_ indices: [Int]) throws -> Dataset {
        if let bad = indices.first(where: { $0 < 0 || $0 >= count }) {
            throw ToyDataError.argument(op: "select", template: "index {index} is out of range for a data set of {count} samples",
                values: ["index": "\(bad)", "count": "\(count)"])
        }
        let rowSize = sampleShape.reduce(1, *)
        var data = [Float](repeating: 0, count: indices.count * rowSize)
        inputs.data.withUnsafeBufferPointer { src in
            data.withUnsafeMutableBufferPointer { dst in
                for (k, i) in indices.enumerated() where rowSize > 0 {
                    dst.baseAddress!.advanced(by: k * rowSize)
                        .update(from: src.baseAddress!.advanced(by: i * rowSize), count: rowSize)
                }
            }
        }
        return Dataset(name: name, inputs: Tensor(shape: [indices.count] + sampleShape, data: data),
                       labels: indices.map { labels[$0] }, classNames: classNames,
                       attributes: attributes.mapValues { v in indices.map { v[$0] } },
                       boxes: boxes.map { b in indices.map { b[$0] } }, seed: seed)
    }

    /// The indices of the samples of each class, in order, indexed by class.
    public func indicesByClass() -> [[Int]] {
        var byClass = [[Int]](repeating: [], count: classNames.count)
        for (i, l) in labels.enumerated() { byClass[l].append(i) }
        return byClass
    }
}

/// An axis-aligned box in pixel coordinates: it covers the pixels with column in
/// `minX..<maxX` and row in `minY..<maxY` (so `maxX - minX` is the width in pixels).
public struct BoundingBox: Equatable, Sendable, CustomStringConvertible {
    public var minX: Float, minY: Float, maxX: Float, maxY: Float
    public init(minX: Float, minY: Float, maxX: Float, maxY: Float) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }
    public var width: Float { maxX - minX }
    public var height: Float { maxY - minY }
    /// Whether pixel (column `x`, row `y`) lies inside the box.
    public func contains(pixelX x: Int, y: Int) -> Bool {
        Float(x) >= minX && Float(x) < maxX && Float(y) >= minY && Float(y) < maxY
    }
    public var description: String { "[x \(minX)..<\(maxX), y \(minY)..<\(maxY)]" }
}

extension Dataset: CustomStringConvertible {
    /// One line for the REPL, e.g. `shapes: 1000 samples of [3, 32, 32], 5 classes (circle, …)`.
    public var description: String {
        let names = classNames.count <= 10 ? classNames.joined(separator: ", ") : "\(classNames.prefix(10).joined(separator: ", ")), …"
        var s = "\(name): \(count) samples of \(formatShape(sampleShape)), \(classCount) classes (\(names))"
        if !attributes.isEmpty { s += "; attributes: \(attributes.keys.sorted().joined(separator: ", "))" }
        if boxes != nil { s += "; boxes" }
        return s
    }
}
