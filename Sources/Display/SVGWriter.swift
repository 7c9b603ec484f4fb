import Foundation
import LabSupport
import TensorCore

/// Builds a standalone SVG document element by element. Every attribute value and text
/// node goes through `xmlEscape`, so any title or label makes well-formed XML.
struct SVGWriter {
    let width: Double
    let height: Double
    private(set) var elements: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String,
                       stroke: String? = nil, cls: String? = nil) {
        var s = "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, w)))\" height=\"\(n(max(0, h)))\" fill=\"\(fill)\""
        if let stroke { s += " stroke=\"\(stroke)\"" }
        if let cls { s += " class=\"\(xmlEscape(cls))\"" }
        elements.append(s + "/>")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double,
                       stroke: String, width: Double = 1, cls: String? = nil) {
        var s = "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
        if let cls { s += " class=\"\(xmlEscape(cls))\"" }
        elements.append(s + "/>")
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5,
                           cls: String? = nil) {
        guard !points.isEmpty else { return }
        let list = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        var s = "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
        if let cls { s += " class=\"\(xmlEscape(cls))\"" }
        elements.append(s + "/>")
    }

    mutating func circle(_ cx: Double, _ cy: Double, r: Double, fill: String, cls: String? = nil) {
        var s = "<circle cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"\(n(r))\" fill=\"\(fill)\""
        if let cls { s += " class=\"\(xmlEscape(cls))\"" }
        elements.append(s + "/>")
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ x: Double, _ y: Double, _ content: String, anchor: Anchor = .start,
                       size: Double = 12, rotate: Double? = nil, cls: String? = nil) {
        var s = "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor.rawValue)\""
        if let rotate { s += " transform=\"rotate(\(n(rotate)) \(n(x)) \(n(y)))\"" }
        if let cls { s += " class=\"\(xmlEscape(cls))\"" }
        elements.append(s + ">" + xmlEscape(content) + "</text>")
    }

    mutating func raw(_ element: String) { elements.append(element) }

    /// The fonts of every figure's text: Latin faces, then Chinese ones (so labels and
    /// titles in Chinese get a CJK face, not whatever the viewer falls back to), then the
    /// generic family. Single quotes: it sits in a double-quoted attribute.
    public static let fontFamily = "Helvetica, Arial, 'PingFang SC', 'Noto Sans CJK SC', 'Source Han Sans SC', "
        + "'Microsoft YaHei', sans-serif"

    /// The complete document: XML declaration, `<svg>` root with a white background.
    func document(title: String?) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" "
        out += "viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"\(SVGWriter.fontFamily)\">\n"
        if let title { out += "<title>\(xmlEscape(title))</title>\n" }
        out += "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"#ffffff\"/>\n"
        for e in elements { out += e + "\n" }
        return out + "</svg>\n"
    }

    /// A coordinate with at most two decimals and no trailing zeros.
    private func n(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        var s = String(format: "%.2f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }
}

/// Escapes the five XML special characters and drops characters XML 1.0 forbids
/// (control characters other than tab, newline and carriage return).
public func xmlEscape(_ s: String) -> String {
    var out = ""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
        default:
            if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// Writes `text` to `path` atomically, refusing a target that is not a regular file
/// (see `AtomicFileWrite`).
public func writeAtomically(_ text: String, to path: String) throws {
    do {
        try AtomicFileWrite.write(text, toPath: path)
    } catch {
        throw DisplayError.invalidArgument(function: "save", message: error.description)
    }
}
