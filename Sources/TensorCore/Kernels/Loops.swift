import RunSupport

/// Small loop helpers shared by the elementwise ops.
///
/// They are `@inline(__always)` and take the per-element function as a non-escaping
/// closure literal, so in an optimised build each call site becomes a plain loop over
/// raw buffers: no closure call per element, no bounds checks.

/// `[f(a[0]), f(a[1]), …]`.
@inline(__always)
func map1(_ a: [Float], _ f: (Float) -> Float) -> [Float] {
    let n = a.count
    let token = OpProfile.begin(.elementwise)
    defer { OpProfile.end(token) }
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
    let token = OpProfile.begin(.elementwise)
    defer { OpProfile.end(token) }
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
    let token = OpProfile.begin(.elementwise)
    defer { OpProfile.end(token) }
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

/// The sum of all elements: blocks of 1024 summed in Float with SIMD lanes, the block
/// sums accumulated in Double (so large sums stay accurate). Always in the same order,
/// so results are bit-for-bit repeatable.
func sumAll(_ a: [Float]) -> Float {
    a.withUnsafeBufferPointer { p in
        guard let base = p.baseAddress else { return 0 }
        var s: Double = 0
        var i = 0
        while i < p.count {
            let n = Swift.min(1024, p.count - i)
            s += Double(sumContiguous(base + i, n))
            i += n
        }
        return Float(s)
    }
}

/// Σ p[0..<count], with sixteen running partial sums (SIMD lanes): floating-point
/// addition is not associative, so the compiler will not vectorise a plain running
/// total by itself. The order is fixed, so results are repeatable bit for bit.
@inline(__always)
func sumContiguous(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
    var acc = SIMD16<Float>()
    var i = 0
    while i + 16 <= count {
        acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
        i += 16
    }
    var s = acc.sum()
    while i < count { s += p[i]; i += 1 }
    return s
}

/// Σ a[i]·b[i] over `count` elements, vectorised like `sumContiguous`.
@inline(__always)
func dotContiguous(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
    var acc = SIMD16<Float>()
    var i = 0
    while i + 16 <= count {
        acc += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
            * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
        i += 16
    }
    var s = acc.sum()
    while i < count { s += a[i] * b[i]; i += 1 }
    return s
}

/// Sixteen floats from `p` (no alignment needed).
@inline(__always)
func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

/// Sixteen floats to `p` (no alignment needed).
@inline(__always)
func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// eˣ for sixteen lanes at once: x = k·ln 2 + r with |r| ≤ ln 2 / 2, eʳ by its Taylor
/// polynomial to degree 7 (truncation error < 1e-8), and 2ᵏ built in the exponent bits.
/// Valid for −86 ≤ x ≤ 88; `exp` sends other lanes (and NaN) to the C library's `expf`.
/// Relative error about 2 ulp.
@inline(__always)
func exp16(_ x: SIMD16<Float>) -> SIMD16<Float> {
    // k = round(x·log2 e) without SIMD rounding or float→int conversion (both fall back
    // to slow per-lane generic code): adding 1.5·2²³ rounds to an integer (ties to even)
    // and leaves it in the low mantissa bits, exact for |k| < 2²².
    let shifter = SIMD16<Float>(repeating: 12_582_912)
    let shifted = x * 1.442_695_04 + shifter
    let k = shifted - shifter
    let kInt = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- unsafeBitCast(shifter, to: SIMD16<Int32>.self)
    let r = x - k * 0.693_359_375 - k * -2.121_944_4e-4
    var p = SIMD16<Float>(repeating: 1 / 5040)
    p = p * r + 1 / 720
    p = p * r + 1 / 120
    p = p * r + 1 / 24
    p = p * r + 1 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    // 2^(k−1) as bits, times 2: stays a normal float for k up to 128.
    let bits = (kInt &+ 126) &<< 23
    let scale = unsafeBitCast(bits, to: SIMD16<Float>.self)
    return p * scale * 2
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// eˣ of every element: sixteen at a time with `exp16`, the C library for the rest and
/// for lanes outside exp16's range.
func expArray(_ a: [Float]) -> [Float] {
    let n = a.count
    let token = OpProfile.begin(.elementwise)
    defer { OpProfile.end(token) }
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

/// a[i] += b[i] for every i, in place (how a gradient accumulates); same counts.
@inline(__always)
func addInPlace(_ a: inout [Float], _ b: [Float]) {
    let token = OpProfile.begin(.elementwise)
    defer { OpProfile.end(token) }
    a.withUnsafeMutableBufferPointer { dst in
        b.withUnsafeBufferPointer { src in
            for i in 0..<dst.count { dst[i] += src[i] }
        }
    }
}
