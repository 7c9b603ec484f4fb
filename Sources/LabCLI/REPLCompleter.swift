import Foundation
import LabScript
import LineEditor

/// Tab completion for the REPL: builtins and variables, named arguments inside a call
/// (with the signature shown), fields and methods after `.`, meta commands, lesson names
/// after `:lesson`, and file paths inside strings and after `:load`.
///
/// libedit replaces the *word* before the cursor, where words are split at
/// `wordBreakCharacters` (the same set `LineEditor` gives libedit); every candidate is a
/// whole replacement for that word.
public struct REPLCompleter {
    public static let wordBreakCharacters: Set<Character> = [" ", "\t", "\n", "\"", "'", "(", ")", ",", "[", "]",
                                                             "{", "}", ":", "+", "-", "*", "/", "^", "@", "=", "<", ">"]
    static let keywords = ["fn", "return", "if", "else", "for", "in", "while", "break", "continue",
                           "and", "or", "not", "true", "false", "nil"]

    /// Names visible to the learner (variables and builtins).
    var visibleNames: () -> Set<String>
    /// The value of a visible name.
    var lookup: (String) -> Value?
    /// A native function by name (for named arguments and signatures).
    var function: (String) -> NativeFunction?
    /// Lesson names, e.g. "03-mode-collapse".
    var lessonNames: () -> [String]

    public func complete(_ line: String) -> Completion {
        // Inside a string: a file path.
        if line.filter({ $0 == "\"" }).count % 2 == 1 {
            let quote = line.lastIndex(of: "\"")!
            let partial = String(line[line.index(after: quote)...])
            // The value of a named argument with a fixed set of strings (`method: "by`).
            if let choices = argumentChoices(before: String(line[..<quote])) {
                return Completion(candidates: choices.filter { $0.hasPrefix(partial) })
            }
            return Completion(candidates: REPLCompleter.paths(startingWith: partial))
        }
        let trimmed = line.drop { $0 == " " }
        if trimmed.hasPrefix(":") || trimmed.hasPrefix("?") {
            return completeMeta(String(trimmed))
        }
        let word = REPLCompleter.currentWord(line)
        if let dot = word.lastIndex(of: ".") {
            let base = String(word[..<dot]), partial = word[word.index(after: dot)...]
            guard case .host(let object)? = lookup(base) else {
                if case .record(let record)? = lookup(base) {
                    return Completion(candidates: record.keys.filter { $0.hasPrefix(partial) }.sorted().map { base + "." + $0 })
                }
                return Completion(candidates: [])
            }
            let members = Set(object.memberNames).filter { $0.hasPrefix(partial) }.sorted()
            return Completion(candidates: members.map { base + "." + $0 })
        }
        var candidates: [String] = []
        var hint: String?
        if let callee = REPLCompleter.enclosingCall(line), let native = function(callee) {
            hint = native.signature
            let used = Set(REPLCompleter.namedArgumentsUsed(line))
            candidates += native.parameters.map(\.name).filter { !used.contains($0) && $0.hasPrefix(word) }.map { $0 + ":" }
        }
        let names = visibleNames().union(REPLCompleter.keywords).filter { $0.hasPrefix(word) && !$0.hasPrefix("_") }
        candidates += names.sorted()
        if word.isEmpty && hint == nil { return Completion(candidates: []) }
        return Completion(candidates: candidates, hint: hint)
    }

    /// The choices of the parameter whose value starts after `prefix`, when `prefix` ends
    /// with `name:` inside a call to a function whose parameter `name` has choices.
    func argumentChoices(before prefix: String) -> [String]? {
        let head = prefix.reversed().drop { $0 == " " }
        guard head.first == ":" else { return nil }
        let name = String(head.dropFirst().drop { $0 == " " }.prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())
        guard !name.isEmpty, let callee = REPLCompleter.enclosingCall(prefix),
              let choices = function(callee)?.parameters.first(where: { $0.name == name })?.choices, !choices.isEmpty else { return nil }
        return choices
    }

    func completeMeta(_ line: String) -> Completion {
        if line.hasPrefix("?") {
            let partial = line.dropFirst()
            return Completion(candidates: visibleNames().filter { $0.hasPrefix(partial) }.sorted())
        }
        let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        let command = String(parts[0])
        if parts.count == 1 {
            // The word after ':' (':' breaks words for libedit).
            let partial = command.dropFirst()
            return Completion(candidates: REPL.metaCommands.map { String($0.dropFirst()) }.filter { $0.hasPrefix(partial) })
        }
        let argument = String(parts[1]).trimmingCharacters(in: .whitespaces)
        switch command {
        case ":lesson", ":lessons":
            let names = lessonNames()
            let numbers = names.compactMap { $0.split(separator: "-").first.map(String.init) }
            return Completion(candidates: (names + numbers).filter { $0.hasPrefix(argument) }.sorted())
        case ":load":
            return Completion(candidates: REPLCompleter.paths(startingWith: argument))
        case ":help", ":h":
            return Completion(candidates: visibleNames().filter { $0.hasPrefix(argument) }.sorted())
        default:
            return Completion(candidates: [])
        }
    }

    /// The word libedit will replace: the text after the last word-break character.
    static func currentWord(_ line: String) -> String {
        String(line.reversed().prefix { !wordBreakCharacters.contains($0) }.reversed())
    }

    /// The name of the innermost call whose parenthesis is still open, e.g. `nt_xent` in
    /// `loss = nt_xent(z1, z2, tem`.
    static func enclosingCall(_ line: String) -> String? {
        var depth = 0
        let characters = Array(line)
        var i = characters.count - 1
        while i >= 0 {
            switch characters[i] {
            case ")", "]": depth += 1
            case "[": depth -= 1
            case "(":
                if depth == 0 {
                    var j = i - 1
                    while j >= 0, characters[j].isLetter || characters[j].isNumber || characters[j] == "_" || characters[j] == "." { j -= 1 }
                    let name = String(characters[(j + 1)..<i])
                    return name.isEmpty ? nil : String(name.split(separator: ".").last ?? "")
                }
                depth -= 1
            default: break
            }
            i -= 1
        }
        return nil
    }

    /// Named arguments already given in the innermost open call.
    static func namedArgumentsUsed(_ line: String) -> [String] {
        guard let open = line.lastIndex(of: "(") else { return [] }
        return line[open...].split(separator: ",").compactMap { part in
            let piece = part.drop { $0 == "(" || $0 == " " }
            guard let colon = piece.firstIndex(of: ":") else { return nil }
            return String(piece[..<colon]).trimmingCharacters(in: .whitespaces)
        }
    }

    /// Files and folders whose path starts with `partial` (folders end with `/`).
    static func paths(startingWith partial: String) -> [String] {
        let fm = FileManager.default
        let (directory, prefix): (String, String)
        if let slash = partial.lastIndex(of: "/") {
            directory = String(partial[...slash])
            prefix = String(partial[partial.index(after: slash)...])
        } else {
            directory = ""
            prefix = partial
        }
        let listed = (try? fm.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        return listed.filter { $0.hasPrefix(prefix) && (prefix.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().map { name in
            var isDirectory: ObjCBool = false
            let path = directory + name
            fm.fileExists(atPath: path, isDirectory: &isDirectory)
            return isDirectory.boolValue ? path + "/" : path
        }
    }
}
