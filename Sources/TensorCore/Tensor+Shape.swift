import RunSupport

/// Changing the shape: reshape (same elements, same order) and permute (axes reordered,
/// elements moved), with the compositions transpose, `.T`, flatten, squeeze, unsqueeze.

/// The same elements in row-major order with a new shape; one dimension may be −1 (inferred).
/// Derivative: the gradient reshaped back.
public func reshape(_ x: Tensor, _ shape: [Int]) throws -> Tensor {
    return try OpProfile.measure(.copy) {
        var target = shape
        let inferred = shape.indices.filter { shape[$0] == -1 }
        guard inferred.count <= 1, shape.allSatisfy({ $0 >= -1 }) else {
            throw TensorError.shapeMismatch(op: "reshape", lhs: x.shape, rhs: shape,
                                            detail: "at most one dimension may be -1, and none below it")
        }
        // Checked: sizes come from scripts, and [10^12, 10^12] must not trap.
        let (known, overflow) = shape.filter { $0 != -1 }.reduce((1, false)) { partial, size in
            let (product, o) = partial.0.multipliedReportingOverflow(by: size)
            return (product, partial.1 || o)
        }
        if overflow {
            throw TensorError.shapeMismatch(op: "reshape", lhs: x.shape, rhs: shape,
                                            detail: "\(x.count) elements do not fill a shape that large")
        }
        if let i = inferred.first {
            guard known > 0, x.count % known == 0 else {
                throw TensorError.shapeMismatch(op: "reshape", lhs: x.shape, rhs: shape,
                                                detail: "\(x.count) elements cannot be split that way")
            }
            target[i] = x.count / known
        }
        guard inferred.isEmpty ? known == x.count : true else {
            throw TensorError.shapeMismatch(op: "reshape", lhs: x.shape, rhs: shape,
                                            detail: "\(x.count) elements do not fill \(known)")
        }
        if target == x.shape { return x }
        return Tensor.result(shape: target, data: x.data, parents: [x]) { g in
            x.accumulateGrad(g)
        }
    }
}

/// The axes reordered: output axis i is input axis `axes[i]` (NumPy `transpose(x, axes)`).
/// Derivative: the gradient permuted back by the inverse permutation.
public func permute(_ x: Tensor, _ axes: [Int]) throws -> Tensor {
    return try OpProfile.measure(.copy) {
        let rank = x.rank
        let normalized = axes.map { $0 < 0 ? $0 + rank : $0 }
        guard normalized.count == rank, Set(normalized) == Set(0..<rank) else {
            throw TensorError.argument(
                op: "permute", template: "{axes} is not a permutation of the axes of shape {shape}",
                    values: ["axes": "\(axes)", "shape": formatShape(x.shape)])
        }
        if normalized == Array(0..<rank) { return x }
        let shape = normalized.map { x.shape[$0] }
        let out = permuteData(x.data, shape: x.shape, axes: normalized)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, a) in normalized.enumerated() { inverse[a] = i }
        return Tensor.result(shape: shape, data: out, parents: [x]) { g in
            x.accumulateGrad(permuteData(g, shape: shape, axes: inverse))
        }
    }
}

/// The elements of a `shape` tensor moved so that output axis i is input axis `axes[i]`.
func permuteData(_ data: [Float], shape: [Int], axes: [Int]) -> [Float] {
    let rank = shape.count
    var inStrides = [Int](repeating: 1, count: rank)
    for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * shape[i + 1] }
    let outShape = axes.map { shape[$0] }
    let strides = axes.map { inStrides[$0] }
    let n = data.count
    return uninitializedArray(n) { dst in
        data.withUnsafeBufferPointer { srcBuf in
            let src = srcBuf.baseAddress!
            if rank == 2 {
                // Plain matrix transpose, in cache-sized tiles.
                let rows = outShape[0], cols = outShape[1], tile = 32
                for i0 in stride(from: 0, to: rows, by: tile) {
                    for j0 in stride(from: 0, to: cols, by: tile) {
                        for i in i0..<Swift.min(i0 + tile, rows) {
                            for j in j0..<Swift.min(j0 + tile, cols) {
                                dst[i * cols + j] = src[i * strides[0] + j * strides[1]]
                            }
                        }
                    }
                }
                return
            }
            // General case: an odometer over all but the last output axis; the inner loop
            // walks the last output axis with its input stride.
            let inner = outShape[rank - 1], innerStride = strides[rank - 1]
            var index = [Int](repeating: 0, count: rank - 1)
            var s = 0, d = 0
            while d < n {
                for j in 0..<inner { dst[d + j] = src[s + j * innerStride] }
                d += inner
                var ax = rank - 2
                while ax >= 0 {
                    index[ax] += 1
                    s += strides[ax]
                    if index[ax] < outShape[ax] { break }
                    s -= strides[ax] * outShape[ax]
                    index[ax] = 0
                    ax -= 1
                }
            }
        }
    }
}

/// Axes `axis0` and `axis1` swapped (a composition of `permute`).
public func transpose(_ x: Tensor, _ axis0: Int = -2, _ axis1: Int = -1) throws -> Tensor {
    let a0 = try normalizeAxis(axis0, rank: x.rank, op: "transpose", shape: x.shape)
    let a1 = try normalizeAxis(axis1, rank: x.rank, op: "transpose", shape: x.shape)
    var axes = Array(0..<x.rank)
    axes.swapAt(a0, a1)
    return try permute(x, axes)
}

/// Size-1 axis inserted at `axis` (which may be `rank`, for a new last axis).
public func unsqueeze(_ x: Tensor, axis: Int) throws -> Tensor {
    let a = axis < 0 ? axis + x.rank + 1 : axis
    guard a >= 0 && a <= x.rank else {
        throw TensorError.argument(op: "unsqueeze", template: "axis {axis} is out of range for shape {shape}",
            values: ["axis": "\(axis)", "shape": formatShape(x.shape)])
    }
    var shape = x.shape
    shape.insert(1, at: a)
    return try reshape(x, shape)
}

/// Size-1 axes removed: the given one, or all of them when `axis` is nil.
public func squeeze(_ x: Tensor, axis: Int? = nil) throws -> Tensor {
    if let axis {
        let a = try normalizeAxis(axis, rank: x.rank, op: "squeeze", shape: x.shape)
        guard x.shape[a] == 1 else { return x }
        var shape = x.shape
        shape.remove(at: a)
        return try reshape(x, shape)
    }
    return try reshape(x, x.shape.filter { $0 != 1 })
}

/// The axes from `startAxis` on merged into one (`flatten(x)` gives a vector;
/// `flatten(x, startAxis: 1)` keeps the batch axis).
public func flatten(_ x: Tensor, startAxis: Int = 0) throws -> Tensor {
    if x.rank == 0 { return try reshape(x, [1]) }
    let a = try normalizeAxis(startAxis, rank: x.rank, op: "flatten", shape: x.shape)
    return try reshape(x, Array(x.shape[..<a]) + [x.shape[a...].reduce(1, *)])
}

extension Tensor {
    /// The transpose: a 2-D matrix's rows and columns swapped; in general all axes
    /// reversed (as NumPy's `.T`). Materialises the result; inside products prefer
    /// `matmul(a, b, transposeB: true)`, which folds the transpose into BLAS.
    public var T: Tensor {
        // A permutation of the tensor's own axes cannot fail.
        (try? TensorCore.permute(self, Array((0..<rank).reversed()))) ?? self
    }

    /// `reshape(self, shape)`.
    public func reshape(_ shape: [Int]) throws -> Tensor { try TensorCore.reshape(self, shape) }
    /// `permute(self, axes)`.
    public func permute(_ axes: [Int]) throws -> Tensor { try TensorCore.permute(self, axes) }
    /// `flatten(self, startAxis:)`.
    public func flatten(startAxis: Int = 0) throws -> Tensor { try TensorCore.flatten(self, startAxis: startAxis) }
}
