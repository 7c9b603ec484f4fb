/// Small loop helpers shared by the elementwise ops.
///
/// They are `@inline(__always)` and take the per-element function as a non-escaping
/// closure literal, so in an optimised build each call site becomes a plain loop over
/// raw buffers: no closure call per element, no bounds checks.

/// `[f(a[0]), f(a[1]), …]`.
@inline(__always)
func map1(_ a: [Float], _ f: (Float) -> Float) -> [Float] {
    let n = a.count
    return [Float](unsafeUninitializedCapacity: n) { out, filled in
        a.withUnsafeBufferPointer { pa in
            for i in 0..<n { out[i] = f(pa[i]) }
        }
        filled = n
    }
}

/// `[f(a[0], b[0]), f(a[1], b[1]), …]`; `a` and `b` have the same count.
@inline(__always)
func map2(_ a: [Float], _ b: [Float], _ f: (Float, Float) -> Float) -> [Float] {
    let n = a.count
    precondition(b.count == n, "map2: \(n) and \(b.count) elements")
    return [Float](unsafeUninitializedCapacity: n) { out, filled in
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for i in 0..<n { out[i] = f(pa[i], pb[i]) }
            }
        }
        filled = n
    }
}

/// `[f(a[0], b[0], c[0]), …]`; all three have the same count.
@inline(__always)
func map3(_ a: [Float], _ b: [Float], _ c: [Float], _ f: (Float, Float, Float) -> Float) -> [Float] {
    let n = a.count
    precondition(b.count == n && c.count == n, "map3: \(n), \(b.count) and \(c.count) elements")
    return [Float](unsafeUninitializedCapacity: n) { out, filled in
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeBufferPointer { pc in
                    for i in 0..<n { out[i] = f(pa[i], pb[i], pc[i]) }
                }
            }
        }
        filled = n
    }
}

/// A new array of `n` elements written by `body` (no zero-fill first).
@inline(__always)
func uninitializedArray(_ n: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
    [Float](unsafeUninitializedCapacity: n) { out, filled in
        if n > 0 { body(out.baseAddress!) }
        filled = n
    }
}

/// The sum of all elements, accumulated in Double (so large sums stay accurate) and
/// always in the same order (so results are bit-for-bit repeatable).
func sumAll(_ a: [Float]) -> Float {
    a.withUnsafeBufferPointer { p in
        var s: Double = 0
        for v in p { s += Double(v) }
        return Float(s)
    }
}
