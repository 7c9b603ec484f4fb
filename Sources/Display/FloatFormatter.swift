/// NumPy's `FloatingFormat` in its default `maxprec` mode: one formatter for all the
/// elements shown, so the columns line up.
///
/// - Scientific notation is used when the largest finite non-zero magnitude is `>= 1e6`
///   (NumPy 2's cut-off for float32: `10 ** finfo(float32).precision`),
///   the smallest is `< 1e-4`, or their ratio is `> 1e3`.
/// - Positional: each value with at most `precision` digits after the point (the shortest
///   round-trip digits, rounded if longer), trailing zeros trimmed; integer parts padded
///   on the left and fractions on the right so that the points line up (`[ 1. ,  2.5]`).
/// - Scientific: every mantissa gets as many fraction digits as the longest one needs.
/// - `nan` and `inf` are right-aligned to the same width.
struct FloatFormatter {
    let precision: Int
    private(set) var exponential = false
    private var padLeft = 0
    private var padRight = 0
    private var expSize = 2

    init(values: [Float], precision: Int) {
        self.precision = precision
        let finite = values.filter(\.isFinite)
        let magnitudes = finite.filter { $0 != 0 }.map { abs(Double($0)) }
        if let maxV = magnitudes.max(), let minV = magnitudes.min() {
            exponential = maxV >= 1e6 || minV < 1e-4 || maxV / minV > 1e3
        }
        if finite.isEmpty {
            padLeft = 0; padRight = 0
        } else if exponential {
            let parts = finite.map { NumberFormat.scientificDigits($0, precision: precision) }
            expSize = parts.map { $0.exponent.count - 1 }.max() ?? 2
            padRight = parts.map(\.fraction.count).max() ?? 0  // fraction digits, all equal
            padLeft = parts.map(\.integer.count).max() ?? 1
        } else {
            let parts = finite.map { NumberFormat.positionalDigits($0, precision: precision) }
            padLeft = parts.map(\.integer.count).max() ?? 1
            padRight = parts.map(\.fraction.count).max() ?? 0
        }
        if finite.count != values.count {
            let negativeInf = values.contains { $0.isInfinite && $0 < 0 }
            let width = exponential ? expSize + 2 + padRight : padRight
            let offset = width + 1
            padLeft = max(padLeft, 3 - offset, 3 + (negativeInf ? 1 : 0) - offset)
        }
    }

    /// The total width of every formatted element.
    private var totalWidth: Int {
        exponential ? padLeft + 1 + padRight + 2 + expSize : padLeft + 1 + padRight
    }

    func format(_ x: Float) -> String {
        if !x.isFinite {
            let s = x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf")
            return pad(s, to: totalWidth)
        }
        if exponential {
            let p = NumberFormat.scientificDigits(x, precision: precision)
            let fraction = p.fraction + String(repeating: "0", count: max(0, padRight - p.fraction.count))
            var exponent = p.exponent
            let sign = exponent.removeFirst()
            while exponent.count < expSize { exponent = "0" + exponent }
            return pad(p.integer, to: padLeft) + "." + fraction + "e" + String(sign) + exponent
        }
        let p = NumberFormat.positionalDigits(x, precision: precision)
        let fraction = p.fraction + String(repeating: " ", count: max(0, padRight - p.fraction.count))
        return pad(p.integer, to: padLeft) + "." + fraction
    }

    private func pad(_ s: String, to width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }
}
