import LabScript

/// `help(name)` text and the `selfsup docs` Markdown, both rendered from registry entries.
enum BuiltinDocumentation {
    /// Plain text for `help(name)` / `?name` / `:help name`:
    ///
    ///     relu(x)
    ///       max(x, 0), elementwise.
    ///
    ///       Parameters:
    ///         x   the input tensor
    ///       Example:
    ///         print(relu(tensor([-1, 2])))
    ///       Lesson: 0. Tensors and autodiff
    static func helpText(_ entry: NativeFunction) -> String {
        var lines = [entry.signature, "  " + entry.summary]
        if !entry.details.isEmpty {
            lines.append("")
            lines += entry.details.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        }
        let documented = entry.parameters.filter { !$0.documentation.isEmpty }
        if !documented.isEmpty {
            lines.append("")
            lines.append("  Parameters:")
            let width = documented.map { $0.signatureText.count }.max() ?? 0
            for parameter in documented {
                let padding = String(repeating: " ", count: width - parameter.signatureText.count)
                lines.append("    \(parameter.signatureText)\(padding)  \(parameter.documentation)")
            }
        }
        if !entry.example.isEmpty {
            lines.append("")
            lines.append("  Example:")
            lines += entry.example.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        }
        if let lesson = entry.lesson {
            lines.append("")
            lines.append("  Lesson: \(LessonTitles.title(lesson))")
        }
        return lines.joined(separator: "\n")
    }

    /// What `help(name)`, `?name` and `:help name` show: the overview for an empty name, a
    /// builtin's help text for its name or for its tensor-method form (`tensor.sum`,
    /// `x.sum`), nil when there is no such builtin.
    static func help(_ name: String, in registry: BuiltinRegistry, width: Int) -> String? {
        if name.isEmpty { return overview(registry, width: width) }
        if let entry = registry.function(named: name) { return helpText(entry) }
        for prefix in ["tensor.", "x."] where name.hasPrefix(prefix) {
            if let entry = registry.function(named: String(name.dropFirst(prefix.count))), entry.isMethod {
                return helpText(entry)
            }
        }
        return nil
    }

    /// The answer to `help(name)` for a name that is not a builtin.
    static func unknown(_ name: String, in registry: BuiltinRegistry) -> String {
        "no builtin named '\(name)'" + Suggestions.hint(for: name, in: registry.names)
    }

    /// The names of every group, for `help()` with no argument.
    static func overview(_ registry: BuiltinRegistry, width: Int = 80) -> String {
        var lines = ["Builtins (help(\"name\") for one of them):"]
        for group in registry.groups {
            lines.append("")
            lines.append(group.title + ":")
            var line = " "
            for name in group.entries.map(\.name).sorted() {
                if line.count + name.count + 1 > width {
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
        var out = "# LabScript builtins\n\n"
        out += "Generated from the builtin registry (`selfsup docs`). "
        out += "In the REPL, `help(\"name\")`, `?name` or `:help name` shows the same text.\n\n"
        for group in registry.groups {
            out += "- [\(group.title)](#\(anchor(group.title))): "
            out += group.entries.map { "`\($0.name)`" }.joined(separator: ", ") + "\n"
        }
        for group in registry.groups {
            out += "\n## \(group.title)\n"
            for entry in group.entries {
                out += "\n### `\(entry.name)`\n\n"
                out += "```\n\(entry.signature)\n```\n\n"
                out += entry.summary + "\n"
                if !entry.details.isEmpty { out += "\n" + entry.details + "\n" }
                if !entry.parameters.isEmpty {
                    out += "\n| parameter | default | meaning |\n|---|---|---|\n"
                    for parameter in entry.parameters {
                        let name = parameter.isVariadic ? "\(parameter.name)..." : parameter.name
                        let defaultText = parameter.isVariadic ? "(any number)"
                            : parameter.defaultValue.map { "`\($0.description)`" } ?? "required"
                        out += "| `\(name)` | \(defaultText) | \(tableCell(parameter.documentation)) |\n"
                    }
                }
                if !entry.example.isEmpty { out += "\nExample:\n\n```\n\(entry.example)\n```\n" }
                if entry.isMethod { out += "\nAlso a tensor method: `x.\(entry.name)(…)` is `\(entry.name)(x, …)`.\n" }
                if let lesson = entry.lesson { out += "\nIntroduced in lesson \(LessonTitles.title(lesson)).\n" }
            }
        }
        return out
    }

    private static func anchor(_ title: String) -> String {
        title.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : ($0 == " " ? "-" : "") }.joined()
    }

    private static func tableCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
