import RunSupport

/// Reductions: sum, mean, max, min and argmax, over all elements or along an axis,
/// keeping the reduced axis (size 1) or dropping it.
///
/// Along an axis, a tensor is viewed as [outer, n, inner]: `n` is the reduced axis,
/// `outer` the product of the dimensions before it and `inner` of those after.

/// The [outer, n, inner] view of `shape` around `axis`, and the shape after reducing it.
func reductionLayout(_ shape: [Int], axis: Int, keepDim: Bool) -> (outer: Int, n: Int, inner: Int, shape: [Int]) {
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    var reduced = shape
    if keepDim { reduced[axis] = 1 } else { reduced.remove(at: axis) }
    return (outer, shape[axis], inner, reduced)
}

/// Σ of all elements, as a scalar (shape []). Derivative: 1 for every element.
public func sum(_ x: Tensor) -> Tensor {
    return OpProfile.measure(.reduction) {
        let n = x.count
        return Tensor.result(shape: [], data: [sumAll(x.data)], parents: [x]) { g in
            x.accumulateGrad([Float](repeating: g[0], count: n))
        }
    }
}

/// Σ along `axis` (negative counts from the end). Derivative: each element receives the
/// gradient of the sum it went into.
public func sum(_ x: Tensor, axis: Int, keepDim: Bool = false) throws -> Tensor {
    return try OpProfile.measure(.reduction) {
        let axis = try normalizeAxis(axis, rank: x.rank, op: "sum", shape: x.shape)
        let (outer, n, inner, shape) = reductionLayout(x.shape, axis: axis, keepDim: keepDim)
        var out = [Float](repeating: 0, count: outer * inner)
        x.data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                if inner == 1 {
                    // Summing along the last axis: one running total per row.
                    for o in 0..<outer { dst[o] = sumContiguous(src.baseAddress! + o * n, n) }
                    return
                }
                for o in 0..<outer {
                    for j in 0..<n {
                        let s = (o * n + j) * inner, d = o * inner
                        for i in 0..<inner { dst[d + i] += src[s + i] }
                    }
                }
            }
        }
        return Tensor.result(shape: shape, data: out, parents: [x]) { g in
            let gx = uninitializedArray(outer * n * inner) { dst in
                g.withUnsafeBufferPointer { src in
                    for o in 0..<outer {
                        if inner == 1 {
                            (dst + o * n).update(repeating: src[o], count: n)
                            continue
                        }
                        for j in 0..<n {
                            (dst + (o * n + j) * inner).update(from: src.baseAddress! + o * inner, count: inner)
                        }
                    }
                }
            }
            x.accumulateGrad(gx)
        }
    }
}

/// Σ over several axes (a composition of single-axis sums).
public func sum(_ x: Tensor, axes: [Int], keepDim: Bool = false) throws -> Tensor {
    let normalized = try axes.map { try normalizeAxis($0, rank: x.rank, op: "sum", shape: x.shape) }
    guard Set(normalized).count == normalized.count else {
        throw TensorError.argument(op: "sum", template: "repeated axis in {axes}", values: ["axes": "\(axes)"])
    }
    var result = x
    for axis in normalized.sorted(by: >) {
        result = try sum(result, axis: axis, keepDim: keepDim)
    }
    return result
}

/// The mean of all elements (a composition: sum / count).
public func mean(_ x: Tensor) -> Tensor {
    sum(x) / Float(max(x.count, 1))
}

/// The mean along `axis` (a composition: sum / n).
public func mean(_ x: Tensor, axis: Int, keepDim: Bool = false) throws -> Tensor {
    let axis = try normalizeAxis(axis, rank: x.rank, op: "mean", shape: x.shape)
    return try sum(x, axis: axis, keepDim: keepDim) / Float(max(x.shape[axis], 1))
}

/// The mean over several axes (a composition: sum / product of their sizes).
public func mean(_ x: Tensor, axes: [Int], keepDim: Bool = false) throws -> Tensor {
    let normalized = try axes.map { try normalizeAxis($0, rank: x.rank, op: "mean", shape: x.shape) }
    let n = normalized.reduce(1) { $0 * x.shape[$1] }
    return try sum(x, axes: normalized, keepDim: keepDim) / Float(max(n, 1))
}

/// The position of the largest (or smallest) value of each [outer, ·, inner] fibre.
func extremeIndices(_ x: [Float], outer: Int, n: Int, inner: Int, largest: Bool) -> [Int] {
    var best = [Int](repeating: 0, count: outer * inner)
    x.withUnsafeBufferPointer { src in
        if inner == 1 {
            // Along the last axis: scan each row.
            for o in 0..<outer {
                let row = src.baseAddress! + o * n
                var bj = 0, bv = row[0]
                if largest {
                    for j in 1..<max(n, 1) where row[j] > bv { bv = row[j]; bj = j }
                } else {
                    for j in 1..<max(n, 1) where row[j] < bv { bv = row[j]; bj = j }
                }
                best[o] = bj
            }
            return
        }
        for o in 0..<outer {
            for i in 0..<inner {
                var bj = 0
                var bv = src[o * n * inner + i]
                for j in 1..<max(n, 1) {
                    let v = src[(o * n + j) * inner + i]
                    if largest ? v > bv : v < bv { bv = v; bj = j }
                }
                best[o * inner + i] = bj
            }
        }
    }
    return best
}

/// max or min along an axis, with its gradient: the gradient goes to the (first) element
/// that was chosen.
func extreme(_ x: Tensor, axis: Int?, keepDim: Bool, largest: Bool, op: String) throws -> Tensor {
    return try OpProfile.measure(.reduction) {
        let outer, n, inner: Int, shape: [Int]
        if let axis {
            let a = try normalizeAxis(axis, rank: x.rank, op: op, shape: x.shape)
            guard x.shape[a] > 0 else {
                throw TensorError.argument(op: op, template: "empty axis {axis} in shape {shape}",
                    values: ["axis": "\(axis)", "shape": formatShape(x.shape)])
            }
            (outer, n, inner, shape) = reductionLayout(x.shape, axis: a, keepDim: keepDim)
        } else {
            guard x.count > 0 else {
                throw TensorError.argument(op: op, template: "empty tensor of shape {shape}", values: ["shape": formatShape(x.shape)])
            }
            (outer, n, inner) = (1, x.count, 1)
            shape = keepDim ? [Int](repeating: 1, count: x.rank) : []
        }
        let index = extremeIndices(x.data, outer: outer, n: n, inner: inner, largest: largest)
        let xv = x.data
        let out = (0..<(outer * inner)).map { k in xv[((k / inner) * n + index[k]) * inner + k % inner] }
        let count = x.count
        return Tensor.result(shape: shape, data: out, parents: [x]) { g in
            var gx = [Float](repeating: 0, count: count)
            for k in 0..<(outer * inner) {
                gx[((k / inner) * n + index[k]) * inner + k % inner] += g[k]
            }
            x.accumulateGrad(gx)
        }
    }
}

/// The largest element, as a scalar. Derivative: 1 at the (first) largest element, else 0.
public func max(_ x: Tensor) throws -> Tensor {
    try extreme(x, axis: nil, keepDim: false, largest: true, op: "max")
}

/// The largest element along `axis`. Derivative: 1 at each (first) largest element.
public func max(_ x: Tensor, axis: Int, keepDim: Bool = false) throws -> Tensor {
    try extreme(x, axis: axis, keepDim: keepDim, largest: true, op: "max")
}

/// The smallest element, as a scalar. Derivative: 1 at the (first) smallest element.
public func min(_ x: Tensor) throws -> Tensor {
    try extreme(x, axis: nil, keepDim: false, largest: false, op: "min")
}

/// The smallest element along `axis`. Derivative: 1 at each (first) smallest element.
public func min(_ x: Tensor, axis: Int, keepDim: Bool = false) throws -> Tensor {
    try extreme(x, axis: axis, keepDim: keepDim, largest: false, op: "min")
}

/// The flat index of the (first) largest element, as a scalar tensor (no gradient).
public func argmax(_ x: Tensor) throws -> Tensor {
    guard x.count > 0 else {
        throw TensorError.argument(op: "argmax", template: "empty tensor of shape {shape}", values: ["shape": formatShape(x.shape)])
    }
    let i = extremeIndices(x.data, outer: 1, n: x.count, inner: 1, largest: true)[0]
    return Tensor(shape: [], data: [Float(i)])
}

/// The index of the (first) largest element along `axis`, as floats (no gradient).
public func argmax(_ x: Tensor, axis: Int, keepDim: Bool = false) throws -> Tensor {
    let a = try normalizeAxis(axis, rank: x.rank, op: "argmax", shape: x.shape)
    guard x.shape[a] > 0 else {
        throw TensorError.argument(op: "argmax", template: "empty axis {axis} in shape {shape}",
            values: ["axis": "\(axis)", "shape": formatShape(x.shape)])
    }
    let (outer, n, inner, shape) = reductionLayout(x.shape, axis: a, keepDim: keepDim)
    let index = extremeIndices(x.data, outer: outer, n: n, inner: inner, largest: true)
    return Tensor(shape: shape, data: index.map(Float.init))
}

extension Tensor {
    /// `sum(self)`.
    public func sum() -> Tensor { TensorCore.sum(self) }
    /// `sum(self, axis:keepDim:)`.
    public func sum(axis: Int, keepDim: Bool = false) throws -> Tensor {
        try TensorCore.sum(self, axis: axis, keepDim: keepDim)
    }
    /// `mean(self)`.
    public func mean() -> Tensor { TensorCore.mean(self) }
    /// `mean(self, axis:keepDim:)`.
    public func mean(axis: Int, keepDim: Bool = false) throws -> Tensor {
        try TensorCore.mean(self, axis: axis, keepDim: keepDim)
    }
}
