import RunSupport

/// Joining and padding: concat, stack, pad.

/// The tensors joined along `axis`; all other dimensions must agree.
/// Derivative: each input receives its own slice of the gradient.
public func concat(_ xs: [Tensor], axis: Int = 0) throws -> Tensor {
    return try OpProfile.measure(.copy) {
        guard let first = xs.first else {
            throw TensorError.argument(op: "concat", template: "needs at least one tensor", values: [:])
        }
        let a = try normalizeAxis(axis, rank: first.rank, op: "concat", shape: first.shape)
        for x in xs.dropFirst() {
            var s1 = first.shape, s2 = x.shape
            guard s1.count == s2.count else {
                throw TensorError.shapeMismatch(op: "concat", lhs: first.shape, rhs: x.shape, detail: "ranks differ")
            }
            s1[a] = 0; s2[a] = 0
            guard s1 == s2 else {
                throw TensorError.shapeMismatch(op: "concat", lhs: first.shape, rhs: x.shape,
                                                detail: "sizes differ outside axis \(axis)")
            }
        }
        if xs.count == 1 { return first }
        let outer = first.shape[..<a].reduce(1, *), inner = first.shape[(a + 1)...].reduce(1, *)
        let sizes = xs.map { $0.shape[a] * inner }          // elements per outer index, per input
        let total = sizes.reduce(0, +)
        var shape = first.shape
        shape[a] = xs.reduce(0) { $0 + $1.shape[a] }
        try ElementLimit.check(shape, op: "concat")
        let out = uninitializedArray(outer * total) { dst in
            var offset = 0
            for (x, size) in zip(xs, sizes) {
                x.data.withUnsafeBufferPointer { src in
                    for o in 0..<outer {
                        (dst + o * total + offset).update(from: src.baseAddress! + o * size, count: size)
                    }
                }
                offset += size
            }
        }
        return Tensor.result(shape: shape, data: out, parents: xs) { g in
            g.withUnsafeBufferPointer { src in
                var offset = 0
                for (x, size) in zip(xs, sizes) {
                    if x.requiresGrad {
                        let gx = uninitializedArray(outer * size) { dst in
                            for o in 0..<outer {
                                (dst + o * size).update(from: src.baseAddress! + o * total + offset, count: size)
                            }
                        }
                        x.accumulateGrad(gx)
                    }
                    offset += size
                }
            }
        }
    }
}

/// The tensors (all of one shape) stacked along a new axis (a composition:
/// unsqueeze each, then concat).
public func stack(_ xs: [Tensor], axis: Int = 0) throws -> Tensor {
    guard let first = xs.first else {
        throw TensorError.argument(op: "stack", template: "needs at least one tensor", values: [:])
    }
    for x in xs where x.shape != first.shape {
        throw TensorError.shapeMismatch(op: "stack", lhs: first.shape, rhs: x.shape, detail: "all shapes must be equal")
    }
    return try concat(xs.map { try unsqueeze($0, axis: axis) }, axis: axis)
}

/// `x` with `padding[i] = (before, after)` elements of `value` added on each side of
/// axis i (leading axes; missing entries mean no padding).
/// Derivative: the gradient with the padding cut off.
public func pad(_ x: Tensor, _ padding: [(before: Int, after: Int)], value: Float = 0) throws -> Tensor {
    return try OpProfile.measure(.copy) {
        guard padding.count <= x.rank, padding.allSatisfy({ $0.before >= 0 && $0.after >= 0 }) else {
            throw TensorError.argument(
                op: "pad", template: "padding {padding} does not fit shape {shape}",
                values: ["padding": "\(padding.map { [$0.before, $0.after] })", "shape": formatShape(x.shape)])
        }
        let full = padding + Array(repeating: (before: 0, after: 0), count: x.rank - padding.count)
        let shape = zip(x.shape, full).map { $0 + $1.before + $1.after }
        if shape == x.shape { return x }
        // Copy x's rows (its last axis) into place, with an odometer over the other axes.
        let rank = x.rank
        var outStrides = [Int](repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { outStrides[i] = outStrides[i + 1] * shape[i + 1] }
        let origin = zip(full, outStrides).reduce(0) { $0 + $1.0.before * $1.1 }
        let rowLength = x.shape[rank - 1]
        let rows = x.count / Swift.max(rowLength, 1)
        /// The output offset of each input row.
        var rowOffsets = [Int](repeating: origin, count: rows)
        if rank > 1 && rows > 0 {
            var index = [Int](repeating: 0, count: rank - 1)
            var offset = origin
            for r in 0..<rows {
                rowOffsets[r] = offset
                var ax = rank - 2
                while ax >= 0 {
                    index[ax] += 1
                    offset += outStrides[ax]
                    if index[ax] < x.shape[ax] { break }
                    offset -= outStrides[ax] * x.shape[ax]
                    index[ax] = 0
                    ax -= 1
                }
            }
        }
        try ElementLimit.check(shape, op: "pad")
        var out = [Float](repeating: value, count: shape.reduce(1, *))
        if x.count > 0 {
            out.withUnsafeMutableBufferPointer { dst in
                x.data.withUnsafeBufferPointer { src in
                    for r in 0..<rows {
                        (dst.baseAddress! + rowOffsets[r]).update(from: src.baseAddress! + r * rowLength, count: rowLength)
                    }
                }
            }
        }
        let count = x.count
        return Tensor.result(shape: shape, data: out, parents: [x]) { g in
            let gx = uninitializedArray(count) { dst in
                g.withUnsafeBufferPointer { src in
                    for r in 0..<rows {
                        (dst + r * rowLength).update(from: src.baseAddress! + rowOffsets[r], count: rowLength)
                    }
                }
            }
            x.accumulateGrad(gx)
        }
    }
}
