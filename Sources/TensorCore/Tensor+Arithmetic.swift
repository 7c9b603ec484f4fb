/// Elementwise arithmetic: add, sub, mul, div, neg, and the operators `+ - * /` on
/// tensors and on tensor/Float mixes. Tensor-tensor forms broadcast (see
/// `Tensor+Broadcast.swift`) and throw `TensorError` when the shapes do not fit.
///
/// Each op computes its value and, just below, the closure `{ g in … }` that receives
/// g = dL/d(output) and adds each input's share to that input's gradient, as in
/// micrograd. `add`, `mul` and `div` are primitives. `sub`, `neg` and the forms with a
/// constant are compositions of them (spelled out in `Composed`), kept with their own
/// backward as fast paths: one pass, no temporary tensors. `FastPathTests` checks that
/// each fast path and its composition agree, value and gradient.

/// a + b.
/// Derivative: ∂/∂a = 1, ∂/∂b = 1.
public func add(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a, b, op: "add")
    return Tensor.result(shape: a.shape, data: map2(a.data, b.data) { a, b in a + b }, parents: [a, b]) { g in
        a.accumulateGrad(g)
        b.accumulateGrad(g)
    }
}

/// a · b (elementwise).
/// Derivative: ∂/∂a = b, ∂/∂b = a.
public func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a, b, op: "mul")
    let av = a.data, bv = b.data  // the inputs' values, saved for the backward
    return Tensor.result(shape: a.shape, data: map2(av, bv) { a, b in a * b }, parents: [a, b]) { g in
        if a.requiresGrad { a.accumulateGrad(map2(g, bv) { g, b in g * b }) }
        if b.requiresGrad { b.accumulateGrad(map2(g, av) { g, a in g * a }) }
    }
}

/// a / b (elementwise).
/// Derivative: ∂/∂a = 1/b, ∂/∂b = −a/b².
public func div(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a, b, op: "div")
    let av = a.data, bv = b.data
    return Tensor.result(shape: a.shape, data: map2(av, bv) { a, b in a / b }, parents: [a, b]) { g in
        if a.requiresGrad { a.accumulateGrad(map2(g, bv) { g, b in g / b }) }
        if b.requiresGrad { b.accumulateGrad(map3(g, av, bv) { g, a, b in -g * a / (b * b) }) }
    }
}

/// a − b. Fast path of `Composed.sub`, a + (−b).
/// Derivative: ∂/∂a = 1, ∂/∂b = −1.
public func sub(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a, b, op: "sub")
    return Tensor.result(shape: a.shape, data: map2(a.data, b.data) { a, b in a - b }, parents: [a, b]) { g in
        a.accumulateGrad(g)
        if b.requiresGrad { b.accumulateGrad(map1(g) { g in -g }) }
    }
}

/// −x. Fast path of `Composed.neg`, x · (−1).
/// Derivative: −1.
public func neg(_ x: Tensor) -> Tensor {
    Tensor.result(shape: x.shape, data: map1(x.data) { x in -x }, parents: [x]) { g in
        x.accumulateGrad(map1(g) { g in -g })
    }
}

/// x + c for a constant c. Fast path of `Composed.add`, x + (c broadcast).
/// Derivative: 1.
public func add(_ x: Tensor, _ c: Float) -> Tensor {
    Tensor.result(shape: x.shape, data: map1(x.data) { x in x + c }, parents: [x]) { g in
        x.accumulateGrad(g)
    }
}

/// x · c for a constant c. Fast path of `Composed.mul`, x · (c broadcast).
/// Derivative: c.
public func mul(_ x: Tensor, _ c: Float) -> Tensor {
    Tensor.result(shape: x.shape, data: map1(x.data) { x in x * c }, parents: [x]) { g in
        x.accumulateGrad(map1(g) { g in g * c })
    }
}

/// c / x for a constant c. Fast path of `Composed.div`, (c broadcast) / x.
/// Derivative: −c/x².
public func div(_ c: Float, _ x: Tensor) -> Tensor {
    let xv = x.data
    return Tensor.result(shape: x.shape, data: map1(xv) { x in c / x }, parents: [x]) { g in
        x.accumulateGrad(map2(g, xv) { g, x in -g * c / (x * x) })
    }
}

extension Tensor {
    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try add(a, b) }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try sub(a, b) }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try mul(a, b) }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try div(a, b) }
    public static prefix func - (x: Tensor) -> Tensor { neg(x) }

    public static func + (x: Tensor, c: Float) -> Tensor { add(x, c) }
    public static func + (c: Float, x: Tensor) -> Tensor { add(x, c) }
    public static func - (x: Tensor, c: Float) -> Tensor { add(x, -c) }
    public static func - (c: Float, x: Tensor) -> Tensor { add(neg(x), c) }
    public static func * (x: Tensor, c: Float) -> Tensor { mul(x, c) }
    public static func * (c: Float, x: Tensor) -> Tensor { mul(x, c) }
    public static func / (x: Tensor, c: Float) -> Tensor { mul(x, 1 / c) }
    public static func / (c: Float, x: Tensor) -> Tensor { div(c, x) }
}

/// The plain compositions behind the fast paths: each op that keeps a hand-written
/// backward for speed, written with primitives whose backward is already known, so that
/// autodiff alone gives its gradient. Nothing calls these but `FastPathTests`, which
/// checks that every fast path computes what its composition computes.
enum Composed {
    /// c as a constant scalar tensor (it broadcasts against anything).
    static func constant(_ c: Float) -> Tensor { Tensor(shape: [], data: [c]) }

    /// a − b = a + (−b).
    static func sub(_ a: Tensor, _ b: Tensor) throws -> Tensor { try TensorCore.add(a, neg(b)) }
    /// −x = x · (−1).
    static func neg(_ x: Tensor) throws -> Tensor { try TensorCore.mul(x, constant(-1)) }
    /// x + c, with c broadcast.
    static func add(_ x: Tensor, _ c: Float) throws -> Tensor { try TensorCore.add(x, constant(c)) }
    /// x · c, with c broadcast.
    static func mul(_ x: Tensor, _ c: Float) throws -> Tensor { try TensorCore.mul(x, constant(c)) }
    /// c / x, with c broadcast.
    static func div(_ c: Float, _ x: Tensor) throws -> Tensor { try TensorCore.div(constant(c), x) }
}
