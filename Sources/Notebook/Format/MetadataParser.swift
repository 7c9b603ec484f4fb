/// Reads the `key=value` pairs that follow a cell marker.
///
///     points=2 name="loss is symmetric" timeout=5s
///
/// Keys are identifiers (letters, digits, `_`, `-`, `.`; not starting with a digit or `-`).
/// A value is either bare (no spaces or quotes) or double-quoted, where `\"` and `\\`
/// stand for a quote and a backslash. Pairs are separated by spaces.
enum MetadataParser {
    /// Why a metadata text could not be read; the caller adds the location.
    enum Failure: Error, Equatable {
        case bad(String)
        case duplicateKey(String)
    }

    static func parse(_ text: Substring) throws(Failure) -> CellMetadata {
        let chars = Array(text)
        var i = 0
        var metadata = CellMetadata()

        func skipSpaces() { while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 } }

        skipSpaces()
        while i < chars.count {
            let keyStart = i
            while i < chars.count, isKeyCharacter(chars[i]) { i += 1 }
            let key = String(chars[keyStart..<i])
            if key.isEmpty {
                throw .bad("expected key=value, found '\(String(chars[keyStart...]))'")
            }
            if let first = key.first, first.isNumber || first == "-" {
                throw .bad("key '\(key)' must start with a letter or '_'")
            }
            guard i < chars.count, chars[i] == "=" else {
                throw .bad("'\(key)' is missing '=value'")
            }
            i += 1
            var value = ""
            if i < chars.count, chars[i] == "\"" {
                i += 1
                var closed = false
                while i < chars.count {
                    let c = chars[i]
                    if c == "\\", i + 1 < chars.count, chars[i + 1] == "\"" || chars[i + 1] == "\\" {
                        value.append(chars[i + 1])
                        i += 2
                    } else if c == "\"" {
                        i += 1
                        closed = true
                        break
                    } else {
                        value.append(c)
                        i += 1
                    }
                }
                if !closed { throw .bad("the quoted value of '\(key)' has no closing '\"'") }
            } else {
                while i < chars.count, chars[i] != " ", chars[i] != "\t" {
                    if chars[i] == "\"" { throw .bad("a quote inside the bare value of '\(key)'; quote the whole value") }
                    value.append(chars[i])
                    i += 1
                }
                if value.isEmpty { throw .bad("'\(key)=' has no value (write \(key)=\"\" for an empty one)") }
            }
            if i < chars.count, chars[i] != " ", chars[i] != "\t" {
                throw .bad("expected a space after the value of '\(key)'")
            }
            if metadata[key] != nil { throw .duplicateKey(key) }
            metadata.set(key, value)
            skipSpaces()
        }
        return metadata
    }

    static func isKeyCharacter(_ c: Character) -> Bool {
        c == "_" || c == "-" || c == "." || (c.isASCII && (c.isLetter || c.isNumber))
    }

    /// Writes a value back so that `parse` reads it unchanged.
    static func format(_ value: String) -> String {
        let bare = !value.isEmpty && !value.contains(where: { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "\\" })
        if bare { return value }
        var out = "\""
        for c in value {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }
}

/// Durations in metadata: `45s`, `2m`, `1m30s`, `500ms`, `1.5s`, or a bare number of seconds.
public enum MetadataDuration {
    /// Seconds, or `nil` when the text is not a duration.
    public static func seconds(_ text: String) -> Double? {
        var rest = Substring(text)
        if let bare = Double(rest), bare >= 0, bare.isFinite { return bare }
        var total = 0.0
        var sawPart = false
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
            guard !digits.isEmpty, let amount = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit: Double
            if rest.hasPrefix("ms") { unit = 0.001; rest = rest.dropFirst(2) }
            else if rest.hasPrefix("s") { unit = 1; rest = rest.dropFirst() }
            else if rest.hasPrefix("m") { unit = 60; rest = rest.dropFirst() }
            else if rest.hasPrefix("h") { unit = 3600; rest = rest.dropFirst() }
            else { return nil }
            total += amount * unit
            sawPart = true
        }
        return sawPart && total.isFinite ? total : nil
    }
}
