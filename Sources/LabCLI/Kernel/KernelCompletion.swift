import LabScript

/// Jupyter's completion and inspection over the REPL's completer and help. Jupyter
/// counts cursor positions in Unicode code points over the whole cell; the REPL's
/// completer works on the line before the cursor and replaces its last word, so the
/// reply's `cursor_start` is the start of that word.
enum KernelCompletion {
    struct Found: Equatable {
        var matches: [String]
        var start: Int
        var end: Int
        var hint: String?
    }

    static func complete(code: String, cursor: Int, completer: REPLCompleter) -> Found {
        let scalars = Array(code.unicodeScalars)
        let end = min(max(0, cursor), scalars.count)
        let before = scalars[..<end]
        let lineStart = before.lastIndex(of: "\n").map { $0 + 1 } ?? 0
        let line = String(String.UnicodeScalarView(before[lineStart...]))
        let completion = completer.complete(line)
        let replaced = replacedLength(line, candidates: completion.candidates)
        return Found(matches: completion.candidates, start: end - replaced, end: end, hint: completion.hint)
    }

    /// How many code points before the cursor a candidate replaces: inside a string the
    /// text after the quote (a path); after `?` or `:` at the start of a line the name
    /// after it; otherwise the completer's word.
    static func replacedLength(_ line: String, candidates: [String]) -> Int {
        if line.filter({ $0 == "\"" }).count % 2 == 1, let quote = line.lastIndex(of: "\"") {
            return line[line.index(after: quote)...].unicodeScalars.count
        }
        let trimmed = line.drop { $0 == " " }
        if trimmed.hasPrefix("?") || trimmed.hasPrefix(":") {
            let tail = trimmed.reversed().prefix { $0 != " " && $0 != "?" && $0 != ":" }
            return String(tail).unicodeScalars.count
        }
        return REPLCompleter.currentWord(line).unicodeScalars.count
    }

    /// The help for the name under the cursor: a builtin's documentation, a variable's
    /// type, shape and value; else the documentation of the call the cursor is inside.
    static func inspect(code: String, cursor: Int, host: REPLHost) -> String? {
        let scalars = Array(code.unicodeScalars)
        let position = min(max(0, cursor), scalars.count)
        func isName(_ s: Unicode.Scalar) -> Bool { s == "_" || s.properties.isAlphabetic || ("0"..."9").contains(s) }
        var start = position, end = position
        while start > 0, isName(scalars[start - 1]) { start -= 1 }
        while end < scalars.count, isName(scalars[end]) { end += 1 }
        let name = String(String.UnicodeScalarView(scalars[start..<end]))
        if !name.isEmpty {
            if let help = host.help(name) { return help }
            if let value = host.currentScope?.lookup(name) {
                return "\(name): \(host.summary(of: value))\n\(host.describe(value))"
            }
        }
        let before = String(String.UnicodeScalarView(scalars[..<position]))
        let line = String(before.split(separator: "\n", omittingEmptySubsequences: false).last ?? "")
        if let callee = REPLCompleter.enclosingCall(line), let help = host.help(callee) { return help }
        return nil
    }
}
