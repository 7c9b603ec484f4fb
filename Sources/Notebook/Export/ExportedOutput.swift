/// The outputs of a cell as the exports show them: adjacent text chunks joined, terminal
/// control removed (ANSI styles; `\r` overwrites resolved to what the terminal finally
/// showed), and a failure without its own diagnostic turned into one.
enum ExportedOutput: Equatable {
    case text(String)
    case image(Figure)
    case error(String)

    static func outputs(of record: CellRecord) -> [ExportedOutput] {
        var out: [ExportedOutput] = []
        var pending = ""
        func flush() {
            let text = terminalText(pending)
            if !text.isEmpty { out.append(.text(text)) }
            pending = ""
        }
        for output in record.outputs {
            switch output {
            case .text(let chunk): pending += chunk
            case .image(let figure): flush(); out.append(.image(figure))
            case .error(let diagnostic): flush(); out.append(.error(stripANSI(diagnostic)))
            }
        }
        flush()
        if let failure = record.failure, !out.contains(where: { if case .error = $0 { return true } else { return false } }) {
            let place = failure.line.map { "line \($0): " } ?? ""
            out.append(.error("error: \(place)\(failure.message)"))
        }
        return out
    }

    /// What a terminal finally shows for `raw`: styles removed, and on each line only the
    /// text after the last carriage return (a progress bar's final state).
    static func terminalText(_ raw: String) -> String {
        var out = String.UnicodeScalarView()
        var segment = String.UnicodeScalarView()
        var previous = String.UnicodeScalarView()   // the last non-empty segment of this line
        let scalars = Array(stripANSI(raw).unicodeScalars)
        for (n, scalar) in scalars.enumerated() {
            if scalar == "\r" && n + 1 < scalars.count && scalars[n + 1] == "\n" { continue }
            if scalar == "\r" {
                if !segment.isEmpty { previous = segment }
                segment = String.UnicodeScalarView()
            } else if scalar == "\n" {
                out.append(contentsOf: segment.isEmpty ? previous : segment)
                out.append("\n")
                segment = String.UnicodeScalarView()
                previous = String.UnicodeScalarView()
            } else {
                segment.append(scalar)
            }
        }
        out.append(contentsOf: segment.isEmpty ? previous : segment)
        return String(out)
    }
}

/// The SVG text without an XML prolog or doctype, ready to sit inside HTML.
func inlineSVG(_ svg: String) -> String {
    var text = Substring(svg)
    while true {
        text = text.drop(while: { $0.isWhitespace })
        if text.hasPrefix("<?") || text.hasPrefix("<!DOCTYPE") || text.hasPrefix("<!doctype") {
            guard let end = text.firstIndex(of: ">") else { break }
            text = text[text.index(after: end)...]
        } else {
            break
        }
    }
    return String(text).trimmingSpacesAndNewlines()
}

extension String {
    func trimmingSpacesAndNewlines() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
