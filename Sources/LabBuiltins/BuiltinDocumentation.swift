import Display
import Foundation
import LabScript
import LabSupport
import SelfSupervised

/// `help(name)` text and the `selfsup docs` Markdown, both rendered from registry entries.
///
/// What a person reads is shown in the chosen language (`Messages.text`, keyed by the
/// English text): a builtin's summary, details and parameter docs, the group titles and the
/// headings. Names (builtins, parameters, record fields) and examples (code) never are.
enum BuiltinDocumentation {
    /// Plain text for `help(name)` / `?name` / `:help name`, its prose word-wrapped to
    /// `width` columns by display width (a long signature breaks after a comma; the example
    /// is code and keeps its lines):
    ///
    ///     relu(x)
    ///       max(x, 0), elementwise.
    ///
    ///       Parameters:
    ///         x   the input tensor
    ///       Example:
    ///         print(relu(tensor([-1, 2])))
    ///       Lesson: 0. Tensors and autodiff
    static func helpText(_ entry: NativeFunction, width: Int = 80) -> String {
        var lines = signatureLines(entry.signature, width: width)
        lines += Messages.text(entry.summary).wrapped(toDisplayWidth: width, firstIndent: "  ", indent: "  ")
        if !entry.details.isEmpty {
            lines.append("")
            for paragraph in shownDetails(entry.details).split(separator: "\n", omittingEmptySubsequences: false) {
                lines += paragraph.wrapped(toDisplayWidth: width, firstIndent: "  ", indent: "  ")
            }
        }
        let documented = entry.parameters.filter { !$0.documentation.isEmpty }
        if !documented.isEmpty {
            lines.append("")
            lines.append("  " + Messages.text("Parameters:"))
            let column = documented.map { $0.signatureText.displayWidth }.max() ?? 0
            // The documentation column, unless it would leave less than half the line.
            let hanging = 4 + column + 2 <= width / 2
            for parameter in documented {
                let name = "    " + parameter.signatureText
                if hanging {
                    lines += Messages.text(parameter.documentation).wrapped(toDisplayWidth: width,
                        firstIndent: name + parameter.signatureText.padding(toDisplayWidth: column) + "  ",
                        indent: String(repeating: " ", count: 4 + column + 2))
                } else {
                    lines.append(name)
                    lines += Messages.text(parameter.documentation).wrapped(toDisplayWidth: width, firstIndent: "        ",
                                                                            indent: "        ")
                }
            }
        }
        if !entry.example.isEmpty {
            lines.append("")
            lines.append("  " + Messages.text("Example:"))
            lines += entry.example.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        }
        if let lesson = entry.lesson {
            lines.append("")
            lines += Messages.text("Lesson: {title}", ["title": LessonTitles.title(lesson)]).wrapped(toDisplayWidth: width, firstIndent: "  ", indent: "    ")
        }
        return lines.joined(separator: "\n")
    }

    /// A builtin's details in the chosen language: translated whole, or else paragraph by
    /// paragraph (a details text that ends in a list made from a table, such as train's
    /// methods, has its prose paragraphs translated and each line of its list made again in
    /// the language, `methodListLine`).
    static func shownDetails(_ details: String) -> String {
        let whole = Messages.text(details)
        guard whole == details, Messages.language != .en else { return whole }
        return details.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            if let method = TrainingMethods.all.first(where: { methodListLine($0, language: .en) == line }) {
                return methodListLine(method)
            }
            return Messages.text(String(line))
        }.joined(separator: "\n")
    }

    /// `name(a, b = 1, …)` in lines of at most `width` columns, broken only after a comma
    /// (an argument's own spaces never break), continued under the first parameter.
    static func signatureLines(_ signature: String, width: Int) -> [String] {
        guard signature.displayWidth > width, let open = signature.firstIndex(of: "(") else { return [signature] }
        let column = signature[...open].displayWidth
        let indent = String(repeating: " ", count: column <= width / 3 ? column : 4)
        // Arguments are the words; a space inside one (`n = 10`) is a no-break space meanwhile.
        let words = signature.components(separatedBy: ", ").map { $0.replacingOccurrences(of: " ", with: "\u{A0}") }
        return words.joined(separator: ", ").wrapped(toDisplayWidth: width, indent: indent)
            .map { $0.replacingOccurrences(of: "\u{A0}", with: " ") }
    }

    /// What `help(name)`, `?name` and `:help name` show: the overview for an empty name, a
    /// builtin's help text for its name or for its tensor-method form (`tensor.sum`,
    /// `x.sum`), nil when there is no such builtin.
    static func help(_ name: String, in registry: BuiltinRegistry, width: Int) -> String? {
        if name.isEmpty { return overview(registry, width: width) }
        if let entry = registry.function(named: name) { return helpText(entry, width: width) }
        for prefix in ["tensor.", "x."] where name.hasPrefix(prefix) {
            if let entry = registry.function(named: String(name.dropFirst(prefix.count))), entry.isMethod {
                return helpText(entry, width: width)
            }
        }
        return nil
    }

    /// The builtins whose name or summary contains `word` (ignoring case), ranked: the name
    /// itself, then names that start with it, names that contain it, and last the builtins
    /// whose summary mentions it; alphabetical within each rank.
    static func apropos(_ word: String, in registry: BuiltinRegistry) -> [NativeFunction] {
        let query = word.trimmingCharacters(in: .whitespaces).lowercased()
        guard !query.isEmpty else { return [] }
        func rank(_ entry: NativeFunction) -> Int? {
            let name = entry.name.lowercased()
            if name == query { return 0 }
            if name.hasPrefix(query) { return 1 }
            if name.contains(query) { return 2 }
            if entry.summary.lowercased().contains(query) || Messages.text(entry.summary).lowercased().contains(query) {
                return 3
            }
            return nil
        }
        return registry.functions.compactMap { entry in rank(entry).map { (entry, $0) } }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.name < $1.0.name }
            .map(\.0)
    }

    /// `??word` and `:apropos word`: one line per match of `apropos`, the name and its
    /// summary, cut with `…` to `width` columns.
    static func aproposText(_ word: String, in registry: BuiltinRegistry, width: Int) -> String {
        let query = word.trimmingCharacters(in: .whitespaces)
        let found = apropos(query, in: registry)
        guard !found.isEmpty else {
            return Messages.text("no builtin's name or summary mentions '{word}'", ["word": query])
        }
        let column = min(24, found.map { $0.name.displayWidth }.max() ?? 0)
        var lines = [Messages.text("Builtins that mention '{word}' (?name shows one):", ["word": query])]
        for entry in found {
            let head = "  " + entry.name + entry.name.padding(toDisplayWidth: column) + "  "
            let room = max(8, width - head.displayWidth)
            let shown = Messages.text(entry.summary)
            let summary = shown.displayWidth <= room ? shown : shown.prefix(displayWidth: room - 1) + "…"
            lines.append(head + summary)
        }
        return lines.joined(separator: "\n")
    }

    /// The answer to `help(name)` for a name that is not a builtin.
    static func unknown(_ name: String, in registry: BuiltinRegistry) -> String {
        Suggestions.message(for: name, in: registry.names,
            plain: { Messages.text("no builtin named '{name}'", ["name": name]) },
            suggesting: { Messages.text("no builtin named '{name}'; did you mean '{suggestion}'?", ["name": name, "suggestion": $0]) })
    }

    /// The names of every group, for `help()` with no argument.
    static func overview(_ registry: BuiltinRegistry, width: Int = 80) -> String {
        var lines = [Messages.text("Builtins (help(\"name\") for one of them):")]
        for group in registry.groups {
            lines.append("")
            lines.append(Messages.text("{group}:", ["group": Messages.text(group.title)]))
            var line = " "
            for name in group.entries.map(\.name).sorted() {
                if line.displayWidth + name.displayWidth + 1 > width {
                    lines.append(line)
                    line = " "
                }
                line += " " + name
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// Every builtin as Markdown: a contents list, then one section per group and one
    /// entry per builtin with its signature, summary, details, parameters, example and lesson.
    static func markdown(_ registry: BuiltinRegistry) -> String {
        var out = "# " + Messages.text("LabScript builtins") + "\n\n"
        out += Messages.text("Generated from the builtin registry (`selfsup docs`). In the REPL, `help(\"name\")`, `?name` or `:help name` shows the same text.") + "\n\n"
        for group in registry.groups {
            out += "- [\(Messages.text(group.title))](#\(anchor(Messages.text(group.title)))): "
            out += group.entries.map { "`\($0.name)`" }.joined(separator: ", ") + "\n"
        }
        for group in registry.groups {
            out += "\n## \(Messages.text(group.title))\n"
            for entry in group.entries {
                out += "\n### `\(entry.name)`\n\n"
                out += "```\n\(entry.signature)\n```\n\n"
                out += Messages.text(entry.summary) + "\n"
                if !entry.details.isEmpty { out += "\n" + shownDetails(entry.details) + "\n" }
                if !entry.parameters.isEmpty {
                    out += "\n" + Messages.text("| parameter | default | meaning |") + "\n|---|---|---|\n"
                    for parameter in entry.parameters {
                        let name = parameter.isVariadic ? "\(parameter.name)..." : parameter.name
                        let defaultText = parameter.isVariadic ? Messages.text("(any number)")
                            : parameter.defaultValue.map { "`\($0.description)`" } ?? Messages.text("required")
                        out += "| `\(name)` | \(defaultText) | \(markdownTableCell(Messages.text(parameter.documentation))) |\n"
                    }
                }
                if !entry.example.isEmpty { out += "\n" + Messages.text("Example:") + "\n\n```\n\(entry.example)\n```\n" }
                if entry.isMethod {
                    out += "\n" + Messages.text("Also a tensor method: `x.{name}(…)` is `{name}(x, …)`.", ["name": entry.name]) + "\n"
                }
                if let lesson = entry.lesson {
                    out += "\n" + Messages.text("Introduced in lesson {title}.", ["title": LessonTitles.title(lesson)]) + "\n"
                }
            }
        }
        return out
    }

    private static func anchor(_ title: String) -> String {
        title.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : ($0 == " " ? "-" : "") }.joined()
    }
}
