/// Which link destinations prose may carry: `http`, `https`, `mailto`, a fragment (`#…`)
/// or a relative path with no scheme. The Markdown parser keeps any other link as the
/// text it was written as, so no renderer (terminal, HTML export, Markdown export) ever
/// emits a `javascript:`, `data:`, `vbscript:` or `file:` link: a teacher who exports a
/// learner's file and clicks a link runs nothing.
///
/// The scheme is decided on a normalised destination, failing closed: ASCII control
/// characters, whitespace and invisible format characters are removed and letters
/// case-folded (`JaVaScRiPt:`, ` javascript:`), and the decision is taken again after
/// each round of decoding HTML character references (`&#106;`, `&#x6A;`, `&colon;`) and
/// percent escapes, as a renderer downstream may decode once more. A destination that
/// holds a control character or whitespace itself, a named reference this policy does
/// not know, or one that has not settled after a few rounds, is refused.
public enum MarkdownLinkPolicy {
    public static let allowedSchemes: Set<String> = ["http", "https", "mailto"]

    /// Whether a link to `destination` may be rendered as a link.
    public static func allows(_ destination: String) -> Bool {
        if destination.unicodeScalars.contains(where: isInvisible) { return false }
        var current = destination
        for _ in 0..<4 {
            if let scheme = scheme(of: current), !allowedSchemes.contains(scheme) { return false }
            guard let decoded = decoded(current) else { return false }
            if decoded == current { return true }
            current = decoded
        }
        return false
    }

    /// Controls, whitespace and format characters (zero-width space, soft hyphen, BOM…):
    /// URL parsers drop or ignore some of them, so they could hide a scheme.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        let p = scalar.properties
        return scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || p.isWhitespace
            || p.generalCategory == .format || p.isDefaultIgnorableCodePoint
    }

    /// The scheme of `url` after normalising (invisible characters removed, lower case):
    /// the text before a `:` that comes before any `/`, `?` or `#`; nil for a relative
    /// reference or a fragment.
    static func scheme(of url: String) -> String? {
        var prefix = ""
        for scalar in url.unicodeScalars where !isInvisible(scalar) {
            switch scalar {
            case ":": return prefix.lowercased()
            case "/", "?", "#": return nil
            default: prefix.unicodeScalars.append(scalar)
            }
        }
        return nil
    }

    /// Named references decoded (with or without `;`); any other name is refused.
    static let namedReferences: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":", "tab": "\t",
        "newline": "\n", "sol": "/", "num": "#", "quest": "?", "period": ".", "nbsp": "\u{A0}",
        "lpar": "(", "rpar": ")", "equals": "=", "commat": "@", "percnt": "%",
    ]

    /// One round of decoding: character references (`&#106;`, `&#x6a;`, `&colon;`, the
    /// `;` optional as browsers allow) and percent escapes (`%6A`). Nil when the text holds
    /// a named reference outside `namedReferences`.
    static func decoded(_ text: String) -> String? {
        let chars = Array(text.unicodeScalars)
        var bytes: [UInt8] = []
        func append(_ s: String) { bytes += Array(s.utf8) }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "&" {
                var j = i + 1
                if j < chars.count, chars[j] == "#" {
                    j += 1
                    let hex = j < chars.count && (chars[j] == "x" || chars[j] == "X")
                    if hex { j += 1 }
                    let start = j
                    while j < chars.count, j - start < 8, (hex ? chars[j].properties.isASCIIHexDigit : ("0"..."9").contains(chars[j])) { j += 1 }
                    if j > start, let value = UInt32(String(String.UnicodeScalarView(chars[start..<j])), radix: hex ? 16 : 10) {
                        append(String(Unicode.Scalar(value) ?? "\u{FFFD}"))
                        i = j < chars.count && chars[j] == ";" ? j + 1 : j
                        continue
                    }
                } else {
                    while j < chars.count, j - i <= 32, chars[j].properties.isAlphabetic || ("0"..."9").contains(chars[j]) { j += 1 }
                    if j > i + 1 {
                        let name = String(String.UnicodeScalarView(chars[(i + 1)..<j])).lowercased()
                        let terminated = j < chars.count && chars[j] == ";"
                        if let value = namedReferences[name] {
                            append(value)
                            i = terminated ? j + 1 : j
                            continue
                        }
                        if terminated { return nil }
                    }
                }
            } else if c == "%", i + 2 < chars.count, chars[i + 1].properties.isASCIIHexDigit, chars[i + 2].properties.isASCIIHexDigit,
                      let byte = UInt8(String(String.UnicodeScalarView(chars[(i + 1)...(i + 2)])), radix: 16) {
                bytes.append(byte)
                i += 3
                continue
            }
            append(String(c))
            i += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
