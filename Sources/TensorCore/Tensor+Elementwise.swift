/// Elementwise functions, each with its derivative written next to it.
///
/// As in `Tensor+Arithmetic.swift`, each op is its value and the closure `{ g in … }` that
/// sends g = dL/d(output) back to its input. `exp`, `log`, `pow`, `sqrt`, `maximum` and
/// `which` are primitives; `relu`, `abs`, `sigmoid`, `tanh`, `minimum` and the forms with
/// a constant are compositions of them (spelled out in `Composed`) that keep their own
/// backward as fast paths, checked against the compositions by `FastPathTests`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// xᵖ for a constant p.
/// Derivative: p·xᵖ⁻¹.
public func pow(_ x: Tensor, _ p: Float) -> Tensor {
    let xv = x.data
    let out: [Float]
    if p == 2 { out = map1(xv) { x in x * x } } else { out = map1(xv) { x in powf(x, p) } }
    return Tensor.result(shape: x.shape, data: out, parents: [x]) { g in
        if p == 2 {
            x.accumulateGrad(map2(g, xv) { g, x in 2 * g * x })
        } else {
            x.accumulateGrad(map2(g, xv) { g, x in g * p * powf(x, p - 1) })
        }
    }
}

/// aᵇ elementwise (broadcasting).
/// Derivative: ∂/∂a = b·aᵇ⁻¹, ∂/∂b = aᵇ·ln a.
public func pow(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a, b, op: "pow")
    let av = a.data, bv = b.data
    let out = map2(av, bv) { a, b in powf(a, b) }
    return Tensor.result(shape: a.shape, data: out, parents: [a, b]) { g in
        if a.requiresGrad { a.accumulateGrad(map3(g, av, bv) { g, a, b in g * b * powf(a, b - 1) }) }
        if b.requiresGrad { b.accumulateGrad(map3(g, out, av) { g, out, a in g * out * logf(a) }) }
    }
}

/// eˣ (computed by the vectorised kernel `expArray`).
/// Derivative: eˣ, the output itself.
public func exp(_ x: Tensor) -> Tensor {
    let out = expArray(x.data)
    return Tensor.result(shape: x.shape, data: out, parents: [x]) { g in
        x.accumulateGrad(map2(g, out) { g, out in g * out })
    }
}

/// ln x.
/// Derivative: 1/x.
public func log(_ x: Tensor) -> Tensor {
    let xv = x.data
    return Tensor.result(shape: x.shape, data: map1(xv) { x in logf(x) }, parents: [x]) { g in
        x.accumulateGrad(map2(g, xv) { g, x in g / x })
    }
}

/// √x.
/// Derivative: 1/(2√x), from the output.
public func sqrt(_ x: Tensor) -> Tensor {
    let out = map1(x.data) { x in x.squareRoot() }
    return Tensor.result(shape: x.shape, data: out, parents: [x]) { g in
        x.accumulateGrad(map2(g, out) { g, out in g / (2 * out) })
    }
}

/// |x|. Fast path of `Composed.abs`, relu(x) + relu(−x).
/// Derivative: sign(x) (0 at 0, as PyTorch).
public func abs(_ x: Tensor) -> Tensor {
    let xv = x.data
    return Tensor.result(shape: x.shape, data: map1(xv) { x in Swift.abs(x) }, parents: [x]) { g in
        x.accumulateGrad(map2(g, xv) { g, x in x > 0 ? g : (x < 0 ? -g : 0) })
    }
}

/// max(x, 0). Fast path of `Composed.relu`, where(x > 0, x, 0).
/// Derivative: 1 where x > 0, else 0.
public func relu(_ x: Tensor) -> Tensor {
    let xv = x.data
    return Tensor.result(shape: x.shape, data: map1(xv) { x in x > 0 ? x : 0 }, parents: [x]) { g in
        x.accumulateGrad(map2(g, xv) { g, x in x > 0 ? g : 0 })
    }
}

/// σ(x) = 1/(1 + e⁻ˣ). Fast path of `Composed.sigmoid`, the same formula in primitives.
/// Derivative: σ(x)(1 − σ(x)), from the output.
public func sigmoid(_ x: Tensor) -> Tensor {
    let out = map1(x.data) { x in
        // Written so that neither branch overflows.
        x >= 0 ? 1 / (1 + expf(-x)) : expf(x) / (1 + expf(x))
    }
    return Tensor.result(shape: x.shape, data: out, parents: [x]) { g in
        x.accumulateGrad(map2(g, out) { g, out in g * out * (1 - out) })
    }
}

/// tanh x. Fast path of `Composed.tanh`, 2σ(2x) − 1.
/// Derivative: 1 − tanh²x, from the output.
public func tanh(_ x: Tensor) -> Tensor {
    let out = map1(x.data) { x in tanhf(x) }
    return Tensor.result(shape: x.shape, data: out, parents: [x]) { g in
        x.accumulateGrad(map2(g, out) { g, out in g * (1 - out * out) })
    }
}

/// max(a, b) elementwise (broadcasting).
/// Derivative: the gradient goes to the larger operand (to `a` on ties).
public func maximum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a, b, op: "maximum")
    let av = a.data, bv = b.data
    return Tensor.result(shape: a.shape, data: map2(av, bv) { a, b in a >= b ? a : b }, parents: [a, b]) { g in
        if a.requiresGrad { a.accumulateGrad(map3(g, av, bv) { g, a, b in a >= b ? g : 0 }) }
        if b.requiresGrad { b.accumulateGrad(map3(g, av, bv) { g, a, b in a >= b ? 0 : g }) }
    }
}

/// min(a, b) elementwise (broadcasting). Fast path of `Composed.minimum`, −max(−a, −b).
/// Derivative: the gradient goes to the smaller operand (to `a` on ties).
public func minimum(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a, b, op: "minimum")
    let av = a.data, bv = b.data
    return Tensor.result(shape: a.shape, data: map2(av, bv) { a, b in a <= b ? a : b }, parents: [a, b]) { g in
        if a.requiresGrad { a.accumulateGrad(map3(g, av, bv) { g, a, b in a <= b ? g : 0 }) }
        if b.requiresGrad { b.accumulateGrad(map3(g, av, bv) { g, a, b in a <= b ? 0 : g }) }
    }
}

/// max(x, c) for a constant c (e.g. clamping a norm away from zero). Fast path of
/// `Composed.maximum`, max(x, c broadcast).
/// Derivative: 1 where x ≥ c, else 0.
public func maximum(_ x: Tensor, _ c: Float) -> Tensor {
    let xv = x.data
    return Tensor.result(shape: x.shape, data: map1(xv) { x in x >= c ? x : c }, parents: [x]) { g in
        x.accumulateGrad(map2(g, xv) { g, x in x >= c ? g : 0 })
    }
}

/// min(x, c) for a constant c. Fast path of `Composed.minimum`, min(x, c broadcast).
/// Derivative: 1 where x ≤ c, else 0.
public func minimum(_ x: Tensor, _ c: Float) -> Tensor {
    let xv = x.data
    return Tensor.result(shape: x.shape, data: map1(xv) { x in x <= c ? x : c }, parents: [x]) { g in
        x.accumulateGrad(map2(g, xv) { g, x in x <= c ? g : 0 })
    }
}

/// Elementwise choice (NumPy/PyTorch `where`): `a` where `condition` is non-zero, else
/// `b`; all three broadcast together. The condition gets no gradient.
/// Derivative: ∂/∂a = [condition], ∂/∂b = 1 − [condition].
public func which(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
    let shape = try broadcastShape(try broadcastShape(condition.shape, a.shape, op: "where"), b.shape, op: "where")
    let c = try expand(condition.detach(), to: shape).data
    let a = try expand(a, to: shape), b = try expand(b, to: shape)
    let out = map3(c, a.data, b.data) { c, a, b in c != 0 ? a : b }
    return Tensor.result(shape: shape, data: out, parents: [a, b]) { g in
        if a.requiresGrad { a.accumulateGrad(map2(g, c) { g, c in c != 0 ? g : 0 }) }
        if b.requiresGrad { b.accumulateGrad(map2(g, c) { g, c in c != 0 ? 0 : g }) }
    }
}

extension Composed {
    /// relu(x) = where(x > 0, x, 0).
    static func relu(_ x: Tensor) throws -> Tensor {
        let zero = constant(0)
        return try which(greater(x, zero), x, zero)
    }

    /// |x| = relu(x) + relu(−x), whose gradient is sign(x), 0 at 0.
    static func abs(_ x: Tensor) throws -> Tensor { try TensorCore.add(relu(x), relu(neg(x))) }

    /// σ(x) = 1/(1 + e⁻ˣ).
    static func sigmoid(_ x: Tensor) throws -> Tensor { try div(1, add(exp(neg(x)), 1)) }

    /// tanh x = 2σ(2x) − 1.
    static func tanh(_ x: Tensor) throws -> Tensor { try add(mul(sigmoid(mul(x, 2)), 2), -1) }

    /// min(a, b) = −max(−a, −b); on ties the gradient still goes to a (a ≤ b exactly when −a ≥ −b).
    static func minimum(_ a: Tensor, _ b: Tensor) throws -> Tensor { try neg(TensorCore.maximum(neg(a), neg(b))) }

    /// max(x, c), with c broadcast.
    static func maximum(_ x: Tensor, _ c: Float) throws -> Tensor { try TensorCore.maximum(x, constant(c)) }

    /// min(x, c), with c broadcast.
    static func minimum(_ x: Tensor, _ c: Float) throws -> Tensor { try minimum(x, constant(c)) }
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
    return Tensor(shape: a.shape, data: map2(a.data, b.data) { a, b in a > b ? 1 : 0 })
}

/// 1 where a < b, else 0 (broadcasting; no gradient).
public func less(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a.detach(), b.detach(), op: "less")
    return Tensor(shape: a.shape, data: map2(a.data, b.data) { a, b in a < b ? 1 : 0 })
}

/// 1 where a == b, else 0 (broadcasting; no gradient).
public func equal(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a.detach(), b.detach(), op: "equal")
    return Tensor(shape: a.shape, data: map2(a.data, b.data) { a, b in a == b ? 1 : 0 })
}
