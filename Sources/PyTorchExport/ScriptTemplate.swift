/// A text with named slots (see `TrainScript` for the syntax): `<<name>>` inside a line,
/// or a block of lines from `# <<name>>` to `# <</name>>`, each marker alone on its line
/// (indentation allowed). Filling replaces each slot once, in one pass, so a value that
/// contains `<<…>>` stays as it is.
struct ScriptTemplate {
    enum Part: Equatable {
        case text(String)
        case slot(String)
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    let parts: [Part]

    /// The slots' names, in order of appearance.
    var slots: [String] { parts.compactMap { if case .slot(let name) = $0 { return name } else { return nil } } }

    init(_ text: String) throws {
        var parts: [Part] = []
        var literal = ""
        var block: String?   // the block being skipped
        func flush() { if !literal.isEmpty { parts.append(.text(literal)); literal = "" } }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            let newline = number < lines.count - 1 ? "\n" : ""
            let trimmed = line.drop { $0 == " " }
            if let name = block {
                if trimmed == "# <</\(name)>>" {
                    block = nil
                    literal += newline
                }
                continue
            }
            if trimmed.hasPrefix("# <</") {
                throw Problem(description: "line \(number + 1): \(trimmed) closes no block")
            }
            if trimmed.hasPrefix("# <<"), trimmed.hasSuffix(">>"), let name = Self.name(trimmed.dropFirst(4).dropLast(2)) {
                flush()
                parts.append(.slot(name))
                block = name
                continue
            }
            var rest = Substring(line)
            while let start = rest.range(of: "<<"), let end = rest[start.upperBound...].range(of: ">>"),
                  let name = Self.name(rest[start.upperBound..<end.lowerBound]) {
                literal += rest[..<start.lowerBound]
                flush()
                parts.append(.slot(name))
                rest = rest[end.upperBound...]
            }
            literal += rest
            literal += newline
        }
        if let block { throw Problem(description: "the block # <<\(block)>> is not closed") }
        flush()
        self.parts = parts
    }

    /// A slot name: lower-case letters and underscores.
    private static func name(_ text: Substring) -> String? {
        !text.isEmpty && text.allSatisfy { $0 == "_" || ("a"..."z").contains($0) } ? String(text) : nil
    }

    /// The text with every slot replaced by its value. Every slot needs a value and every
    /// value a slot.
    func fill(_ values: [String: String]) throws -> String {
        let names = Set(slots)
        if let missing = slots.first(where: { values[$0] == nil }) {
            throw Problem(description: "no value for the slot \(missing)")
        }
        if let unused = values.keys.sorted().first(where: { !names.contains($0) }) {
            throw Problem(description: "the template has no slot \(unused)")
        }
        var text = ""
        for part in parts {
            switch part {
            case .text(let literal): text += literal
            case .slot(let name): text += values[name]!
            }
        }
        return text
    }
}
