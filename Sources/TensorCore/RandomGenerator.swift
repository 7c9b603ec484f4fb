/// The one source of randomness in SelfSup Lab.
///
/// Algorithm: xoshiro256** (Blackman & Vigna, 2018) for 64-bit words, its 256-bit state
/// filled from the seed by SplitMix64, as the authors recommend. Uniform floats take the
/// top 24 bits of a word (so every value is an exact multiple of 2⁻²⁴ in [0, 1)); bounded
/// integers use Lemire's multiply-and-reject method, so they are unbiased; normal samples
/// use the Box–Muller transform, with the second value of each pair kept for the next call.
///
/// Nothing here depends on the standard library's own random algorithms, which may change
/// between Swift versions: the same seed gives the same bits on every run and machine.
/// Randomness is never global: a generator is made from a seed and passed in (`inout`)
/// to whatever needs it; `split()` derives an independent child stream.
public struct RandomGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    private var spareNormal: Float?

    /// A generator whose whole stream is fixed by `seed`.
    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// A uniform Float in [0, 1).
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform Float in [low, high).
    public mutating func nextFloat(in low: Float, _ high: Float) -> Float {
        low + (high - low) * nextFloat()
    }

    /// A uniform Double in [0, 1) (53 bits).
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in 0..<bound (Lemire's method, unbiased). `bound` must be positive.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound, got \(bound)")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// A uniform integer in `range`.
    public mutating func nextInt(in range: Range<Int>) -> Int {
        range.lowerBound + nextInt(below: range.count)
    }

    /// True with probability `p`.
    public mutating func bernoulli(_ p: Float) -> Bool {
        nextFloat() < p
    }

    /// A standard normal sample (Box–Muller; pairs are generated and the spare is kept).
    public mutating func nextNormal() -> Float {
        if let spare = spareNormal { spareNormal = nil; return spare }
        // u1 in (0, 1] so the log is finite.
        let u1 = 1.0 - nextDouble()
        let u2 = nextDouble()
        let r = (-2.0 * _log(u1)).squareRoot()
        let theta = 2.0 * Double.pi * u2
        spareNormal = Float(r * _sin(theta))
        return Float(r * _cos(theta))
    }

    /// A normal sample with the given mean and standard deviation.
    public mutating func nextNormal(mean: Float, std: Float) -> Float {
        mean + std * nextNormal()
    }

    /// A random permutation of 0..<n (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) {
                p.swapAt(i, nextInt(below: i + 1))
            }
        }
        return p
    }

    /// Shuffles `array` in place (Fisher–Yates with this generator).
    public mutating func shuffle<T>(_ array: inout [T]) {
        if array.count > 1 {
            for i in stride(from: array.count - 1, to: 0, by: -1) {
                array.swapAt(i, nextInt(below: i + 1))
            }
        }
    }

    /// An independent child generator, seeded from this one's stream.
    public mutating func split() -> RandomGenerator {
        RandomGenerator(seed: next())
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Glibc.sin(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Darwin
@inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) private func _sin(_ x: Double) -> Double { Darwin.sin(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
