/// A colour with components in 0...255, and the escape sequences that draw it.
public struct RGB: Sendable, Equatable, Hashable {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }

    /// From components in [0, 1] (clamped; NaN is black).
    public init(unit r: Double, _ g: Double, _ b: Double) {
        func byte(_ v: Double) -> UInt8 { v.isNaN ? 0 : UInt8((min(1, max(0, v)) * 255).rounded()) }
        self.init(byte(r), byte(g), byte(b))
    }

    /// `#rrggbb`, for SVG.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        return "#" + [r, g, b].map { String(digits[Int($0 >> 4)]) + String(digits[Int($0 & 15)]) }.joined()
    }

    /// Rec. 601 luma in [0, 1].
    public var luma: Double { (0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b)) / 255 }

    /// Linear interpolation between two colours, `t` in [0, 1].
    public static func mix(_ a: RGB, _ b: RGB, _ t: Double) -> RGB {
        RGB(unit: (Double(a.r) + (Double(b.r) - Double(a.r)) * t) / 255,
            (Double(a.g) + (Double(b.g) - Double(a.g)) * t) / 255,
            (Double(a.b) + (Double(b.b) - Double(a.b)) * t) / 255)
    }

    /// The nearest entry of the 256-colour palette's 6×6×6 cube.
    var paletteIndex: Int {
        func level(_ c: UInt8) -> Int { Int((Double(c) / 255 * 5).rounded()) }
        return 16 + 36 * level(r) + 6 * level(g) + level(b)
    }

    /// The nearest of the palette's 24 greys (232...255), by luma.
    var greyIndex: Int { 232 + Int((luma * 23).rounded()) }
}

/// ANSI escape sequences; empty strings when colour is off, so callers need no branches.
public enum ANSI {
    public static let reset = "\u{1B}[0m"

    /// Foreground colour.
    public static func foreground(_ c: RGB, _ mode: ColorMode) -> String {
        switch mode {
        case .none: return ""
        case .palette256: return "\u{1B}[38;5;\(c.paletteIndex)m"
        case .trueColor: return "\u{1B}[38;2;\(c.r);\(c.g);\(c.b)m"
        }
    }

    /// Background colour.
    public static func background(_ c: RGB, _ mode: ColorMode) -> String {
        switch mode {
        case .none: return ""
        case .palette256: return "\u{1B}[48;5;\(c.paletteIndex)m"
        case .trueColor: return "\u{1B}[48;2;\(c.r);\(c.g);\(c.b)m"
        }
    }

    /// `text` in colour `c`, followed by a reset; `text` unchanged when colour is off.
    public static func paint(_ text: String, _ c: RGB, _ mode: ColorMode) -> String {
        mode == .none ? text : foreground(c, mode) + text + reset
    }

    /// Removes escape sequences (for measuring and for tests).
    public static func strip(_ s: String) -> String {
        var out = ""
        var inEscape = false
        for ch in s {
            if inEscape {
                if ch.isLetter { inEscape = false }
            } else if ch == "\u{1B}" {
                inEscape = true
            } else {
                out.append(ch)
            }
        }
        return out
    }
}
