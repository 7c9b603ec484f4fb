import Foundation

/// Number formatting shared by tensor printing, axes and the stats line.
///
/// Swift's `description` of a `Float` or `Double` is the shortest string that reads back
/// to the same value (shortest round-trip); the NumPy-style formatter builds on that and
/// on C's correctly rounded `%.*f` / `%.*e`.
public enum NumberFormat {
    /// A scalar in full precision: the shortest decimal string that round-trips.
    /// Integral values keep a trailing `.0` (`3.0`), as Python prints them.
    public static func scalar(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        return x.description
    }

    /// A `Float` in full precision: the shortest string that reads back to the same `Float`.
    public static func scalar(_ x: Float) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        return x.description
    }

    /// `x` with `digits` significant digits and no trailing zeros, in plain or exponent
    /// form like C's `%g` (`0.1235`, `1.5e+06`, `3`). Used for stats and axis labels.
    public static func compact(_ x: Double, digits: Int = 4) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == 0 { return "0" }
        return String(format: "%.\(digits)g", x)
    }

    /// Splits a positional decimal string at its point: `"-12.50"` -> (`"-12"`, `"50"`).
    static func splitPoint(_ s: String) -> (integer: String, fraction: String) {
        guard let dot = s.firstIndex(of: ".") else { return (s, "") }
        return (String(s[..<dot]), String(s[s.index(after: dot)...]))
    }

    /// The digits of a `Float` in positional notation, at most `precision` after the point,
    /// trailing zeros removed (NumPy's Dragon4 with `unique=True, trim='.'`):
    /// the shortest round-trip digits if they fit, otherwise the value rounded to `precision`.
    static func positionalDigits(_ x: Float, precision: Int) -> (integer: String, fraction: String) {
        let shortest = plainDecimal(x.description)
        var (integer, fraction) = splitPoint(shortest)
        if fraction.count > precision {
            (integer, fraction) = splitPoint(String(format: "%.\(precision)f", Double(x)))
        }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (integer, fraction)
    }

    /// The mantissa and exponent of a `Float` in scientific notation with at most
    /// `precision` digits after the point, trailing zeros removed: `1.5e-05` -> ("1", "5", "-05").
    static func scientificDigits(_ x: Float, precision: Int) -> (integer: String, fraction: String, exponent: String) {
        // Shortest round-trip significant digits, then rounding only if there are too many.
        let (mantissa, exp10) = shortestScientific(x)
        var text: String
        if mantissa.filter(\.isNumber).count - 1 <= precision {
            text = mantissa
            let sign = exp10 < 0 ? "-" : "+"
            let e = String(abs(exp10))
            text += "e" + sign + (e.count < 2 ? "0" + e : e)
        } else {
            text = String(format: "%.\(precision)e", Double(x))
        }
        let parts = text.split(separator: "e", maxSplits: 1).map(String.init)
        let (integer, fraction0) = splitPoint(parts[0])
        var fraction = fraction0
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (integer, fraction, parts.count > 1 ? parts[1] : "+00")
    }

    /// The shortest round-trip digits of `x` as a mantissa `d.ddd` (with sign) and a power of ten.
    static func shortestScientific(_ x: Float) -> (mantissa: String, exponent: Int) {
        if x == 0 { return (x.sign == .minus ? "-0" : "0", 0) }
        let (integer, fraction) = splitPoint(plainDecimal(x.description))
        let negative = integer.hasPrefix("-")
        let digits = (integer.trimmingCharacters(in: CharacterSet(charactersIn: "-")) + fraction)
        let intDigits = integer.count - (negative ? 1 : 0)
        // Position of the first non-zero digit.
        guard let first = digits.firstIndex(where: { $0 != "0" }) else { return ("0", 0) }
        let lead = digits.distance(from: digits.startIndex, to: first)
        var significant = String(digits[first...])
        while significant.count > 1 && significant.hasSuffix("0") { significant.removeLast() }
        let exponent = intDigits - lead - 1
        var mantissa = String(significant.prefix(1))
        if significant.count > 1 { mantissa += "." + significant.dropFirst() }
        return ((negative ? "-" : "") + mantissa, exponent)
    }

    /// Rewrites Swift's `1e-05` / `1.5e+20` forms as plain positional decimals.
    static func plainDecimal(_ s: String) -> String {
        guard let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return s }
        let mantissa = String(s[..<e])
        guard let exponent = Int(s[s.index(after: e)...]) else { return s }
        let negative = mantissa.hasPrefix("-")
        let (integer, fraction) = splitPoint(negative ? String(mantissa.dropFirst()) : mantissa)
        var digits = integer + fraction
        var point = integer.count + exponent
        if point <= 0 {
            digits = String(repeating: "0", count: -point + 1) + digits
            point = 1
        } else if point > digits.count {
            digits += String(repeating: "0", count: point - digits.count)
        }
        let head = digits.prefix(point)
        let tail = digits.dropFirst(point)
        return (negative ? "-" : "") + head + (tail.isEmpty ? ".0" : "." + tail)
    }
}
