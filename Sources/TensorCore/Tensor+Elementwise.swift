/// Elementwise functions, each with its derivative written next to it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// xᵖ for a constant p. Derivative: p·xᵖ⁻¹.
public func pow(_ x: Tensor, _ p: Float) -> Tensor {
    let xv = x.data
    let out: [Float]
    if p == 2 { out = map1(xv) { $0 * $0 } } else { out = map1(xv) { powf($0, p) } }
    return Tensor.result(shape: x.shape, data: out, parents: [x]) { g in
        if p == 2 {
            x.accumulateGrad(map2(g, xv) { 2 * $0 * $1 })
        } else {
            x.accumulateGrad(map2(g, xv) { $0 * p * powf($1, p - 1) })
        }
    }
}

/// aᵇ elementwise (broadcasting). Derivative: d/da = b·aᵇ⁻¹, d/db = aᵇ·ln a.
public func pow(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a, b, op: "pow")
    let av = a.data, bv = b.data
    let out = map2(av, bv) { powf($0, $1) }
    return Tensor.result(shape: a.shape, data: out, parents: [a, b]) { g in
        if a.requiresGrad { a.accumulateGrad(map3(g, av, bv) { $0 * $2 * powf($1, $2 - 1) }) }
        if b.requiresGrad { b.accumulateGrad(map3(g, out, av) { $0 * $1 * logf($2) }) }
    }
}

/// eˣ. Derivative: eˣ (the output itself).
public func exp(_ x: Tensor) -> Tensor {
    let out = expArray(x.data)
    return Tensor.result(shape: x.shape, data: out, parents: [x]) { g in
        x.accumulateGrad(map2(g, out) { $0 * $1 })
    }
}

/// eˣ of every element: sixteen at a time with `exp16`, the C library for the rest and
/// for lanes outside exp16's range.
func expArray(_ a: [Float]) -> [Float] {
    let n = a.count
    return uninitializedArray(n) { out in
        a.withUnsafeBufferPointer { src in
            guard let p = src.baseAddress else { return }
            var i = 0
            while i + 16 <= n {
                let v = load16(p + i)
                if all(v .>= -86) && all(v .<= 88) {
                    store16(exp16(v), out + i)
                } else {
                    for j in i..<(i + 16) { out[j] = expf(p[j]) }
                }
                i += 16
            }
            while i < n { out[i] = expf(p[i]); i += 1 }
        }
    }
}

/// ln x. Derivative: 1/x.
public func log(_ x: Tensor) -> Tensor {
    let xv = x.data
    return Tensor.result(shape: x.shape, data: map1(xv) { logf($0) }, parents: [x]) { g in
        x.accumulateGrad(map2(g, xv) { $0 / $1 })
    }
}

/// √x. Derivative: 1/(2√x).
public func sqrt(_ x: Tensor) -> Tensor {
    let out = map1(x.data) { $0.squareRoot() }
    return Tensor.result(shape: x.shape, data: out, parents: [x]) { g in
        x.accumulateGrad(map2(g, out) { $0 / (2 * $1) })
    }
}

/// |x|. Derivative: sign(x) (0 at 0, as PyTorch).
public func abs(_ x: Tensor) -> Tensor {
    let xv = x.data
    return Tensor.result(shape: x.shape, data: map1(xv) { Swift.abs($0) }, parents: [x]) { g in
        x.accumulateGrad(map2(g, xv) { $1 > 0 ? $0 : ($1 < 0 ? -$0 : 0) })
    }
}

/// max(x, 0). Derivative: 1 where x > 0, else 0.
public func relu(_ x: Tensor) -> Tensor {
    let xv = x.data
    return Tensor.result(shape: x.shape, data: map1(xv) { $0 > 0 ? $0 : 0 }, parents: [x]) { g in
        x.accumulateGrad(map2(g, xv) { $1 > 0 ? $0 : 0 })
    }
}

/// σ(x) = 1/(1 + e⁻ˣ). Derivative: σ(x)(1 − σ(x)).
public func sigmoid(_ x: Tensor) -> Tensor {
    let out = map1(x.data) { v in
        // Written so that neither branch overflows.
        v >= 0 ? 1 / (1 + expf(-v)) : expf(v) / (1 + expf(v))
    }
    return Tensor.result(shape: x.shape, data: out, parents: [x]) { g in
        x.accumulateGrad(map2(g, out) { $0 * $1 * (1 - $1) })
    }
}

/// tanh x. Derivative: 1 − tanh²x.
public func tanh(_ x: Tensor) -> Tensor {
    let out = map1(x.data) { tanhf($0) }
    return Tensor.result(shape: x.shape, data: out, parents: [x]) { g in
        x.accumulateGrad(map2(g, out) { $0 * (1 - $1 * $1) })
    }
}

/// max(a, b) elementwise (broadcasting). Derivative: the gradient goes to the larger
/// operand (to `a` on ties).
public func maximum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a, b, op: "maximum")
    let av = a.data, bv = b.data
    return Tensor.result(shape: a.shape, data: map2(av, bv) { $0 >= $1 ? $0 : $1 }, parents: [a, b]) { g in
        if a.requiresGrad { a.accumulateGrad(map3(g, av, bv) { $1 >= $2 ? $0 : 0 }) }
        if b.requiresGrad { b.accumulateGrad(map3(g, av, bv) { $1 >= $2 ? 0 : $0 }) }
    }
}

/// min(a, b) elementwise (broadcasting). Derivative: the gradient goes to the smaller
/// operand (to `a` on ties).
public func minimum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a, b, op: "minimum")
    let av = a.data, bv = b.data
    return Tensor.result(shape: a.shape, data: map2(av, bv) { $0 <= $1 ? $0 : $1 }, parents: [a, b]) { g in
        if a.requiresGrad { a.accumulateGrad(map3(g, av, bv) { $1 <= $2 ? $0 : 0 }) }
        if b.requiresGrad { b.accumulateGrad(map3(g, av, bv) { $1 <= $2 ? 0 : $0 }) }
    }
}

/// max(x, c) for a constant c (e.g. clamping a norm away from zero).
/// Derivative: 1 where x ≥ c, else 0.
public func maximum(_ x: Tensor, _ c: Float) -> Tensor {
    let xv = x.data
    return Tensor.result(shape: x.shape, data: map1(xv) { $0 >= c ? $0 : c }, parents: [x]) { g in
        x.accumulateGrad(map2(g, xv) { $1 >= c ? $0 : 0 })
    }
}

/// min(x, c) for a constant c. Derivative: 1 where x ≤ c, else 0.
public func minimum(_ x: Tensor, _ c: Float) -> Tensor {
    let xv = x.data
    return Tensor.result(shape: x.shape, data: map1(xv) { $0 <= c ? $0 : c }, parents: [x]) { g in
        x.accumulateGrad(map2(g, xv) { $1 <= c ? $0 : 0 })
    }
}

/// Elementwise choice (NumPy/PyTorch `where`): `a` where `condition` is non-zero, else
/// `b`; all three broadcast together. The condition gets no gradient.
/// Derivative: d/da = [condition], d/db = 1 − [condition].
public func which(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
    let shape = try broadcastShape(try broadcastShape(condition.shape, a.shape, op: "where"), b.shape, op: "where")
    let c = try expand(condition.detach(), to: shape).data
    let a = try expand(a, to: shape), b = try expand(b, to: shape)
    let out = map3(c, a.data, b.data) { $0 != 0 ? $1 : $2 }
    return Tensor.result(shape: shape, data: out, parents: [a, b]) { g in
        if a.requiresGrad { a.accumulateGrad(map2(g, c) { $1 != 0 ? $0 : 0 }) }
        if b.requiresGrad { b.accumulateGrad(map2(g, c) { $1 != 0 ? 0 : $0 }) }
    }
}

/// `x` with `value` wherever `mask` (broadcast to x's shape) is non-zero, e.g. a −∞
/// diagonal in NT-Xent. A composition of `which`.
public func maskedFill(_ x: Tensor, mask: Tensor, value: Float) throws -> Tensor {
    do {
        let filled = Tensor(shape: [], data: [value])
        let result = try which(mask, filled, x)
        guard result.shape == x.shape else {
            throw TensorError.shapeMismatch(op: "maskedFill", lhs: x.shape, rhs: mask.shape,
                                            detail: "the mask must broadcast to the tensor's shape")
        }
        return result
    } catch let TensorError.shapeMismatch(_, _, _, detail) {
        throw TensorError.shapeMismatch(op: "maskedFill", lhs: x.shape, rhs: mask.shape, detail: detail)
    }
}

/// 1 where a > b, else 0 (broadcasting; no gradient).
public func greater(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a.detach(), b.detach(), op: "greater")
    return Tensor(shape: a.shape, data: map2(a.data, b.data) { $0 > $1 ? 1 : 0 })
}

/// 1 where a < b, else 0 (broadcasting; no gradient).
public func less(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a.detach(), b.detach(), op: "less")
    return Tensor(shape: a.shape, data: map2(a.data, b.data) { $0 < $1 ? 1 : 0 })
}

/// 1 where a == b, else 0 (broadcasting; no gradient).
public func equal(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a.detach(), b.detach(), op: "equal")
    return Tensor(shape: a.shape, data: map2(a.data, b.data) { $0 == $1 ? 1 : 0 })
}
