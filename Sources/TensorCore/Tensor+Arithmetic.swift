/// Elementwise arithmetic: add, sub, mul, div, neg, and the operators `+ - * /` on
/// tensors and on tensor/Float mixes. Tensor-tensor forms broadcast (see
/// `Tensor+Broadcast.swift`) and throw `TensorError` when the shapes do not fit.

/// a + b. Derivative: d/da = 1, d/db = 1.
public func add(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a, b, op: "add")
    return Tensor.result(shape: a.shape, data: map2(a.data, b.data) { $0 + $1 }, parents: [a, b]) { g in
        a.accumulateGrad(g)
        b.accumulateGrad(g)
    }
}

/// a − b. Derivative: d/da = 1, d/db = −1.
public func sub(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a, b, op: "sub")
    return Tensor.result(shape: a.shape, data: map2(a.data, b.data) { $0 - $1 }, parents: [a, b]) { g in
        a.accumulateGrad(g)
        if b.requiresGrad { b.accumulateGrad(map1(g) { -$0 }) }
    }
}

/// a · b (elementwise). Derivative: d/da = b, d/db = a.
public func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a, b, op: "mul")
    let av = a.data, bv = b.data
    return Tensor.result(shape: a.shape, data: map2(av, bv) { $0 * $1 }, parents: [a, b]) { g in
        if a.requiresGrad { a.accumulateGrad(map2(g, bv) { $0 * $1 }) }
        if b.requiresGrad { b.accumulateGrad(map2(g, av) { $0 * $1 }) }
    }
}

/// a / b (elementwise). Derivative: d/da = 1/b, d/db = −a/b².
public func div(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let (a, b) = try broadcastPair(a, b, op: "div")
    let av = a.data, bv = b.data
    return Tensor.result(shape: a.shape, data: map2(av, bv) { $0 / $1 }, parents: [a, b]) { g in
        if a.requiresGrad { a.accumulateGrad(map2(g, bv) { $0 / $1 }) }
        if b.requiresGrad { b.accumulateGrad(map3(g, av, bv) { -$0 * $1 / ($2 * $2) }) }
    }
}

/// −x. Derivative: −1.
public func neg(_ x: Tensor) -> Tensor {
    Tensor.result(shape: x.shape, data: map1(x.data) { -$0 }, parents: [x]) { g in
        x.accumulateGrad(map1(g) { -$0 })
    }
}

/// x + c for a constant c. Derivative: 1.
public func add(_ x: Tensor, _ c: Float) -> Tensor {
    Tensor.result(shape: x.shape, data: map1(x.data) { $0 + c }, parents: [x]) { g in
        x.accumulateGrad(g)
    }
}

/// x · c for a constant c. Derivative: c.
public func mul(_ x: Tensor, _ c: Float) -> Tensor {
    Tensor.result(shape: x.shape, data: map1(x.data) { $0 * c }, parents: [x]) { g in
        x.accumulateGrad(map1(g) { $0 * c })
    }
}

/// c / x for a constant c. Derivative: −c/x².
public func div(_ c: Float, _ x: Tensor) -> Tensor {
    let xv = x.data
    return Tensor.result(shape: x.shape, data: map1(xv) { c / $0 }, parents: [x]) { g in
        x.accumulateGrad(map2(g, xv) { -$0 * c / ($1 * $1) })
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
