import Foundation

/// The language the lab speaks to a person: English (the default) or Chinese.
///
/// Chosen once at start-up, in this order: the `--lang` option, `SELFSUP_LANG`, then the
/// locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: a value starting with `zh` is Chinese).
/// Only what a person reads is translated; names a script or a tool reads (builtins,
/// parameters, record fields, ids, column keys) never are.
public enum Language: String, CaseIterable, Sendable {
    case en, zh

    /// The language for an option value and an environment, as described above. An
    /// unknown option value is nil (the caller reports it as a usage error).
    public static func resolve(option: String?, environment: [String: String]) -> Language? {
        if let option { return Language(code: option) }
        if let setting = environment["SELFSUP_LANG"], !setting.isEmpty, let language = Language(code: setting) {
            return language
        }
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[key], !value.isEmpty else { continue }
            return value.lowercased().hasPrefix("zh") ? .zh : .en
        }
        return .en
    }

    /// `zh`, `zh_CN`, `zh-Hans`, `en`, `en_US.UTF-8` and the like.
    public init?(code: String) {
        let lowered = code.lowercased()
        if lowered.hasPrefix("zh") { self = .zh } else if lowered.hasPrefix("en") { self = .en } else { return nil }
    }
}

/// The message catalogue: every sentence the lab shows a person goes through `Messages.text`,
/// keyed by its English text (gettext's convention: the English is the `msgid`), with
/// named placeholders (`{count}`) so a message is translated whole, never glued together
/// from fragments. The translations are gettext PO files (`Resources/zh.po`), which
/// translators' tools read and write.
public enum Messages {
    nonisolated(unsafe) private static var chosen: Language = .en
    nonisolated(unsafe) private static var catalogues: [Language: POCatalog] = [:]
    private static let lock = NSLock()

    /// The language messages are shown in (set once at start-up).
    public static var language: Language {
        get { lock.lock(); defer { lock.unlock() }; return chosen }
        set { lock.lock(); defer { lock.unlock() }; chosen = newValue }
    }

    /// `msgid` in the current language (or `language`), placeholders filled in. A message
    /// the catalogue does not translate yet is shown in English.
    public static func text(_ msgid: String, _ arguments: [String: String] = [:], language: Language? = nil) -> String {
        let language = language ?? self.language
        let template = language == .en ? msgid : (catalogue(language).translations[msgid] ?? msgid)
        return POCatalog.fill(template, arguments)
    }

    /// The catalogue of a language, read from the module's resources on first use.
    public static func catalogue(_ language: Language) -> POCatalog {
        lock.lock(); defer { lock.unlock() }
        if let loaded = catalogues[language] { return loaded }
        var catalogue = POCatalog()
        if language != .en, let url = Bundle.module.url(forResource: language.rawValue, withExtension: "po"),
           let text = try? String(contentsOf: url, encoding: .utf8), let parsed = try? POCatalog(parsing: text) {
            catalogue = parsed
        }
        catalogues[language] = catalogue
        return catalogue
    }
}

/// The entries of a gettext PO file: `msgid "…"` / `msgstr "…"` pairs, strings continued
/// on following lines, C escapes, `#` comments; the header (empty msgid) and untranslated
/// (empty msgstr) entries are left out.
public struct POCatalog: Sendable, Equatable {
    public var translations: [String: String] = [:]

    public init() {}

    public struct SyntaxError: Error, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public init(parsing text: String) throws(SyntaxError) {
        var field: WritableKeyPath<(String?, String?), String?>?
        var pair: (String?, String?) = (nil, nil)
        func finish() {
            if let id = pair.0, let value = pair.1, !id.isEmpty, !value.isEmpty { translations[id] = value }
            pair = (nil, nil)
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let rest: Substring
            if line.hasPrefix("msgid ") {
                if pair.1 != nil { finish() }
                field = \.0
                rest = line.dropFirst(6)
            } else if line.hasPrefix("msgstr ") {
                guard pair.0 != nil else { throw SyntaxError(line: index + 1, reason: "msgstr without msgid") }
                field = \.1
                rest = line.dropFirst(7)
            } else if line.hasPrefix("\"") {
                guard field != nil else { throw SyntaxError(line: index + 1, reason: "a string outside an entry") }
                rest = Substring(line)
            } else {
                throw SyntaxError(line: index + 1, reason: "expected msgid, msgstr, a string or a comment")
            }
            guard let field else { continue }
            let value = try POCatalog.unquote(rest.trimmingCharacters(in: .whitespaces), line: index + 1)
            pair[keyPath: field] = (pair[keyPath: field] ?? "") + value
        }
        finish()
    }

    /// The msgids of a PO file's text by section: a section's heading is the first line of a
    /// run of `#` comment lines, and the translated entries after it, up to the next heading,
    /// are under it. Tests hold a section to what fills its messages in (the builtins'
    /// summaries, which no literal key at a `Messages.text` call names).
    public static func msgidsBySection(_ text: String) throws(SyntaxError) -> [String: Set<String>] {
        var sections: [String: Set<String>] = [:]
        var heading = ""
        var chunk: [Substring] = []
        var previousWasComment = false
        func finish() throws(SyntaxError) {
            let keys = try POCatalog(parsing: chunk.joined(separator: "\n")).translations.keys
            sections[heading, default: []].formUnion(keys)
            chunk = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let isComment = line.hasPrefix("#")
            if isComment && !previousWasComment {
                try finish()
                heading = String(line)
            }
            previousWasComment = isComment
            chunk.append(line)
        }
        try finish()
        return sections
    }

    /// `"a\"b\n"` → `a"b` and a newline.
    static func unquote(_ text: String, line: Int) throws(SyntaxError) -> String {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else {
            throw SyntaxError(line: line, reason: "expected a quoted string")
        }
        var out = ""
        var escaped = false
        for character in text.dropFirst().dropLast() {
            if escaped {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "\"", "\\": out.append(character)
                default: throw SyntaxError(line: line, reason: "unknown escape \\\(character)")
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                throw SyntaxError(line: line, reason: "an unescaped quote inside a string")
            } else {
                out.append(character)
            }
        }
        if escaped { throw SyntaxError(line: line, reason: "a string ends in a backslash") }
        return out
    }

    /// The `{name}` placeholders of a message, in order.
    public static func placeholders(_ text: String) -> [String] {
        var names: [String] = []
        var current: String?
        for character in text {
            if character == "{" { current = "" } else if character == "}", let name = current {
                if !name.isEmpty { names.append(name) }
                current = nil
            } else if current != nil {
                if character.isLetter || character.isNumber || character == "_" { current?.append(character) } else { current = nil }
            }
        }
        return names
    }

    /// `template` with each `{name}` replaced by its argument, in one pass (an argument's
    /// own text is never read as a placeholder); unknown names are kept as written.
    public static func fill(_ template: String, _ arguments: [String: String]) -> String {
        guard !arguments.isEmpty else { return template }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"),
                  let value = arguments[String(rest[rest.index(after: open)..<close])] else {
                out.append("{")
                rest = rest[rest.index(after: open)...]
                continue
            }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
