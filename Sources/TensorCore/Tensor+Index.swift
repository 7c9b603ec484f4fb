import RunSupport

/// Picking parts of a tensor: slicing with a step, selecting one index, `indexSelect`
/// (whole slices by a list of indices) and `gather` (one element per position, e.g. the
/// logit of each example's label). Each derivative scatters the gradient back (adding,
/// so an index chosen twice gets both contributions).

/// A Python-style slice `start:end:step` of one axis: missing bounds mean the whole
/// axis, negative bounds count from the end, out-of-range bounds are clamped.
public struct SliceRange: Sendable, Equatable {
    public var start: Int?
    public var end: Int?
    public var step: Int
    public init(_ start: Int? = nil, _ end: Int? = nil, step: Int = 1) {
        self.start = start; self.end = end; self.step = step
    }
    /// `:` — the whole axis.
    public static let all = SliceRange()

    /// The first index and the number of indices taken from an axis of size `n`.
    func resolve(_ n: Int) -> (start: Int, count: Int) {
        func clamp(_ v: Int) -> Int { Swift.min(Swift.max(v < 0 ? v + n : v, 0), n) }
        let s = start.map(clamp) ?? 0
        let e = end.map(clamp) ?? n
        return (s, e > s ? (e - s - 1) / step + 1 : 0)
    }
}

/// The [outer, n, inner] view of `shape` around `axis`.
func axisLayout(_ shape: [Int], _ axis: Int) -> (outer: Int, n: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
}

/// Slices of `x` along `axis` at the given positions (any order, repeats allowed), as
/// [outer, positions.count, inner]; the derivative adds each gradient slice back.
func takeAlongAxis(_ x: Tensor, axis: Int, positions: [Int], op: String) -> Tensor {
    return OpProfile.measure(.copy) {
        let (outer, n, inner) = axisLayout(x.shape, axis)
        var shape = x.shape
        shape[axis] = positions.count
        let m = positions.count
        let out = uninitializedArray(outer * m * inner) { dst in
            x.data.withUnsafeBufferPointer { src in
                for o in 0..<outer {
                    for (j, p) in positions.enumerated() {
                        (dst + (o * m + j) * inner).update(from: src.baseAddress! + (o * n + p) * inner, count: inner)
                    }
                }
            }
        }
        let count = x.count
        return Tensor.result(shape: shape, data: out, parents: [x]) { g in
            var gx = [Float](repeating: 0, count: count)
            gx.withUnsafeMutableBufferPointer { dst in
                g.withUnsafeBufferPointer { src in
                    for o in 0..<outer {
                        for (j, p) in positions.enumerated() {
                            let d = (o * n + p) * inner, s = (o * m + j) * inner
                            for i in 0..<inner { dst[d + i] += src[s + i] }
                        }
                    }
                }
            }
            x.accumulateGrad(gx)
        }
    }
}

/// `x[start:end:step]` along one axis (Python rules; the step must be positive).
/// Derivative: the gradient placed back at the sliced positions, zero elsewhere.
public func slice(_ x: Tensor, axis: Int, _ range: SliceRange) throws -> Tensor {
    let a = try normalizeAxis(axis, rank: x.rank, op: "slice", shape: x.shape)
    guard range.step > 0 else {
        throw TensorError.argument(op: "slice", template: "step must be positive, got {step}", values: ["step": "\(range.step)"])
    }
    let (start, count) = range.resolve(x.shape[a])
    if start == 0 && count == x.shape[a] { return x }
    let positions = (0..<count).map { start + $0 * range.step }
    return takeAlongAxis(x, axis: a, positions: positions, op: "slice")
}

/// `x[r0, r1, …]`: one slice per leading axis (a composition of single-axis slices).
public func slice(_ x: Tensor, _ ranges: [SliceRange]) throws -> Tensor {
    guard ranges.count <= x.rank else {
        throw TensorError.argument(
            op: "slice", template: "{count} slices for shape {shape}", values: ["count": "\(ranges.count)", "shape": formatShape(x.shape)])
    }
    var result = x
    for (axis, r) in ranges.enumerated() where r != .all {
        result = try slice(result, axis: axis, r)
    }
    return result
}

/// `x[…, index, …]` at `axis`, the axis dropped (negative indices count from the end).
public func select(_ x: Tensor, axis: Int, index: Int) throws -> Tensor {
    let a = try normalizeAxis(axis, rank: x.rank, op: "select", shape: x.shape)
    let n = x.shape[a]
    let i = index < 0 ? index + n : index
    guard i >= 0 && i < n else {
        throw TensorError.argument(
            op: "select", template: "index {index} is out of range for axis {axis} of shape {shape}",
                values: ["index": "\(index)", "axis": "\(axis)", "shape": formatShape(x.shape)])
    }
    var shape = x.shape
    shape.remove(at: a)
    return try reshape(takeAlongAxis(x, axis: a, positions: [i], op: "select"), shape)
}

/// The slices of `x` at `indices` along `axis` (PyTorch `index_select`), e.g. a batch of
/// rows. Derivative: each gradient slice added back to the row it came from.
public func indexSelect(_ x: Tensor, axis: Int, indices: [Int]) throws -> Tensor {
    let a = try normalizeAxis(axis, rank: x.rank, op: "indexSelect", shape: x.shape)
    let n = x.shape[a]
    let positions = try indices.map { i -> Int in
        let p = i < 0 ? i + n : i
        guard p >= 0 && p < n else {
            throw TensorError.argument(
                op: "indexSelect", template: "index {index} is out of range for axis {axis} of shape {shape}",
                    values: ["index": "\(i)", "axis": "\(axis)", "shape": formatShape(x.shape)])
        }
        return p
    }
    return takeAlongAxis(x, axis: a, positions: positions, op: "indexSelect")
}

/// Integer indices stored as floats, checked to be whole and within 0..<n.
func integerIndices(_ t: Tensor, limit n: Int, op: String) throws -> [Int] {
    try t.data.map { v -> Int in
        guard v.isFinite, v.rounded() == v, v >= 0, v < Float(n) else {
            throw TensorError.argument(op: op, template: "index {index} is not an integer in 0..<{count}",
                values: ["index": "\(v)", "count": "\(n)"])
        }
        return Int(v)
    }
}

/// PyTorch `gather`: out[o, j, i] = x[o, index[o, j, i], i] with `axis` as the middle
/// position; `index` has x's shape except along `axis`. With x of shape [N, C] and
/// index [N, 1] it picks one entry per row, e.g. each example's label logit.
/// Derivative: each gradient added back at the gathered position.
public func gather(_ x: Tensor, axis: Int, index: Tensor) throws -> Tensor {
    return try OpProfile.measure(.copy) {
        let a = try normalizeAxis(axis, rank: x.rank, op: "gather", shape: x.shape)
        var expected = x.shape
        expected[a] = index.rank == x.rank ? index.shape[a] : -1
        guard index.shape == expected else {
            throw TensorError.shapeMismatch(op: "gather", lhs: x.shape, rhs: index.shape,
                                            detail: "the index must have the tensor's shape except along axis \(axis)")
        }
        let (outer, n, inner) = axisLayout(x.shape, a)
        let m = index.shape[a]
        let idx = try integerIndices(index, limit: n, op: "gather")
        let xv = x.data
        let out = uninitializedArray(outer * m * inner) { dst in
            for o in 0..<outer {
                for j in 0..<m {
                    for i in 0..<inner {
                        let k = (o * m + j) * inner + i
                        dst[k] = xv[(o * n + idx[k]) * inner + i]
                    }
                }
            }
        }
        let count = x.count
        return Tensor.result(shape: index.shape, data: out, parents: [x]) { g in
            var gx = [Float](repeating: 0, count: count)
            for o in 0..<outer {
                for j in 0..<m {
                    for i in 0..<inner {
                        let k = (o * m + j) * inner + i
                        gx[(o * n + idx[k]) * inner + i] += g[k]
                    }
                }
            }
            x.accumulateGrad(gx)
        }
    }
}
