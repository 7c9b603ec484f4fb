import RunSupport

/// NumPy broadcasting, done in exactly one place (tinygrad style).
///
/// Binary ops never broadcast implicitly inside their loops: they first `expand` both
/// operands to the common shape, then work elementwise on equal shapes. `expand` copies
/// each value to every position it is broadcast to, so its derivative sends each
/// gradient back to the one value it came from: the backward of `expand` is a sum over
/// the broadcast dimensions (`sumToShape`). That sum is the only broadcast-gradient code,
/// with one exception: the fused kernels (linear, conv2d, batch norm) add their bias
/// without materialising its broadcast, so they take its gradient from `biasGradient`,
/// the same sum for the one layout they share (tested equal to `sumToShape`).

/// The shape two shapes broadcast to: align them on the right; each pair of dimensions
/// must be equal or one of them 1. Throws naming `op` and both shapes otherwise.
public func broadcastShape(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        if da == db || db == 1 {
            out[i] = da
        } else if da == 1 {
            out[i] = db
        } else {
            throw TensorError.shapeMismatch(op: op, lhs: a, rhs: b,
                                            detail: "dimension \(i) is \(da) vs \(db) (broadcasting needs equal sizes or 1)")
        }
    }
    if out != a && out != b { try ElementLimit.check(out, op: op) }
    return out
}

/// How the elements of a small shape map into a broadcast shape: the target's dimensions
/// with adjacent ones merged where possible, and for each the source stride (0 where the
/// source is broadcast). Both `expand` and its adjoint `sumToShape` walk this plan.
struct BroadcastPlan {
    var dims: [Int] = []
    var strides: [Int] = []

    init(from source: [Int], to target: [Int]) {
        let pad = target.count - source.count
        var step = 1
        var rawStrides = [Int](repeating: 0, count: target.count)
        for i in stride(from: target.count - 1, through: 0, by: -1) {
            let s = i >= pad ? source[i - pad] : 1
            rawStrides[i] = (s == 1 && target[i] != 1) ? 0 : step
            step *= s
        }
        for i in 0..<target.count where target[i] != 1 {
            if let lastStride = strides.last, let lastDim = dims.last,
               (lastStride == 0 && rawStrides[i] == 0) || (lastStride == rawStrides[i] * target[i]) {
                dims[dims.count - 1] = lastDim * target[i]
                strides[strides.count - 1] = rawStrides[i]
            } else {
                dims.append(target[i])
                strides.append(rawStrides[i])
            }
        }
        if dims.isEmpty { dims = [1]; strides = [1] }
    }

    /// Calls `body(sourceOffset, destinationOffset)` for each innermost run of
    /// `dims.last` elements (the source run is contiguous, or one value if its stride is 0).
    @inline(__always)
    func forEachRun(_ body: (_ src: Int, _ dst: Int) -> Void) {
        let outer = dims.count - 1
        let runLength = dims[outer]
        var index = [Int](repeating: 0, count: outer)
        var src = 0, dst = 0
        while true {
            body(src, dst)
            dst += runLength
            var d = outer - 1
            while d >= 0 {
                index[d] += 1
                src += strides[d]
                if index[d] < dims[d] { break }
                src -= strides[d] * dims[d]
                index[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }
}

/// `x` broadcast to `shape` (NumPy rules), values copied.
///
/// Derivative: each output element is a copy of one input element, so
/// dL/dx = the sum of dL/dout over every position a value was copied to (`sumToShape`).
public func expand(_ x: Tensor, to shape: [Int]) throws -> Tensor {
    return try OpProfile.measure(.broadcast) {
        if x.shape == shape { return x }
        let target = try broadcastShape(x.shape, shape, op: "expand")
        guard target == shape else {
            throw TensorError.shapeMismatch(op: "expand", lhs: x.shape, rhs: shape,
                                            detail: "cannot expand to a smaller shape")
        }
        let plan = BroadcastPlan(from: x.shape, to: shape)
        let n = shape.reduce(1, *)
        let source = x.data
        let out = uninitializedArray(n) { dst in
            source.withUnsafeBufferPointer { srcBuf in
                guard let src = srcBuf.baseAddress else { return }
                let run = plan.dims.last!, innerStride = plan.strides.last!
                plan.forEachRun { s, d in
                    if innerStride == 0 {
                        (dst + d).update(repeating: src[s], count: run)
                    } else {
                        (dst + d).update(from: src + s, count: run)
                    }
                }
            }
        }
        let sourceShape = x.shape
        return Tensor.result(shape: shape, data: out, parents: [x]) { g in
            x.accumulateGrad(sumToShape(g, from: shape, to: sourceShape))
        }
    }
}

/// The adjoint of `expand`: sums `g` (of shape `from`) over the dimensions in which
/// `to` was broadcast, giving an array of shape `to`.
func sumToShape(_ g: [Float], from: [Int], to: [Int]) -> [Float] {
    return OpProfile.measure(.broadcast) {
        if from == to { return g }
        let plan = BroadcastPlan(from: to, to: from)
        let n = to.reduce(1, *)
        var out = [Float](repeating: 0, count: n)
        if g.isEmpty { return out }
        out.withUnsafeMutableBufferPointer { dstBuf in
            g.withUnsafeBufferPointer { srcBuf in
                guard let dst = dstBuf.baseAddress, let src = srcBuf.baseAddress else { return }
                let run = plan.dims.last!, innerStride = plan.strides.last!
                plan.forEachRun { s, d in
                    // Here `s` indexes the small shape and `d` the big gradient.
                    if innerStride == 0 {
                        dst[s] += sumContiguous(src + d, run)
                    } else {
                        for i in 0..<run { dst[s + i] += src[d + i] }
                    }
                }
            }
        }
        return out
    }
}

/// The gradient of a bias [channels] that a fused kernel added to every position of an
/// output [n, channels, inner]: `g` summed over the first and last axes, which is
/// `sumToShape(g, from: [n, channels, inner], to: [1, channels, 1])` computed per channel
/// (inner = 1 for linear's [N, out]).
func biasGradient(_ g: [Float], n: Int, channels: Int, inner: Int) -> [Float] {
    return OpProfile.measure(.broadcast) {
        ChannelLayout(n: n, c: channels, inner: inner).sums(g)
    }
}

/// Both operands expanded to their common broadcast shape (the first step of every
/// binary elementwise op).
func broadcastPair(_ a: Tensor, _ b: Tensor, op: String) throws -> (Tensor, Tensor) {
    if a.shape == b.shape { return (a, b) }
    let shape = try broadcastShape(a.shape, b.shape, op: op)
    return (try expand(a, to: shape), try expand(b, to: shape))
}
