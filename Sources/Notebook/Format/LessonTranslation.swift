import Foundation
import LabScript
import LabSupport

/// Lessons in another language: a translated twin file per lesson, `Lessons/zh/03-mode-collapse.lab`
/// next to `Lessons/03-mode-collapse.lab`.
///
/// A twin is the same program as its English lesson, differing only in what a person reads:
/// its prose cells, and the text of its string literals (what it prints, `expect` messages,
/// titles). `drift(english:twin:)` holds it to that: the same cells (kinds and metadata) in
/// the same order, and in every code cell the same syntax tree once string literal text is
/// masked (`maskedProgram`). Comments are not in the tree, so they may differ too.
public enum LessonTranslation {
    /// The folder of a language's twins inside the lessons folder (`zh`); `nil` for English.
    public static func folderName(_ language: Language) -> String? {
        language == .en ? nil : language.rawValue
    }

    /// The language a lesson file is written in: the language whose twins' folder holds it
    /// (`Lessons/zh/03-mode-collapse.lab` is Chinese), else English. Exports declare it
    /// (the HTML page's `lang`, the notebook's metadata).
    public static func language(ofFile file: String) -> Language {
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent().lastPathComponent
        return Language.allCases.first { folderName($0) == folder } ?? .en
    }

    /// Where the twin of `lesson` in `language` is, whether or not it exists.
    public static func twinURL(of lesson: Lesson, in language: Language) -> URL? {
        twinURL(ofFile: URL(fileURLWithPath: lesson.file), in: language)
    }

    /// Where the twin of any English file is (a lesson, an exercise hand-out, a teacher's
    /// tests file): the same name in the language's folder beside it, whether or not it
    /// exists; nil for English.
    public static func twinURL(ofFile english: URL, in language: Language) -> URL? {
        guard let folder = folderName(language) else { return nil }
        return english.deletingLastPathComponent().appendingPathComponent(folder)
            .appendingPathComponent(english.lastPathComponent)
    }

    /// The file to read for `english` in `language`: its twin when there is one, else the
    /// English file itself. Exercises use it: the grader, `start` and `hint` read the twin
    /// of the official hand-out and of its tests file, which `drift` holds to the same
    /// program, so a hand-in scores the same in every language.
    public static func inLanguage(_ english: URL, _ language: Language) -> URL {
        guard let twin = twinURL(ofFile: english, in: language), FileManager.default.fileExists(atPath: twin.path) else {
            return english
        }
        return twin
    }

    /// The twin of `lesson` in `language`: `nil` for English and when there is none yet; a
    /// twin that is there but malformed throws its located error.
    public static func twin(of lesson: Lesson, in language: Language) throws(NotebookFormatError) -> Lesson? {
        guard let url = twinURL(of: lesson, in: language), FileManager.default.fileExists(atPath: url.path) else {
            return nil
        }
        return try Lesson(contentsOf: url)
    }

    /// Every way `twin` differs from `english` in anything but the text a person reads:
    /// cell count, a cell's kind or metadata, a code cell that does not parse or whose
    /// masked program differs. Empty when the two are one program.
    public static func drift(english: Lesson, twin: Lesson) -> [String] {
        var problems: [String] = []
        let a = english.cells, b = twin.cells
        if a.count != b.count {
            problems.append("\(a.count) cells in the English lesson, \(b.count) in the twin")
        }
        for (index, (left, right)) in zip(a, b).enumerated() {
            let place = "cell \(index + 1) (line \(left.markerLine ?? 1) / \(right.markerLine ?? 1))"
            if left.kind != right.kind {
                problems.append("\(place): kind \(left.kind.rawValue) against \(right.kind.rawValue)")
                continue
            }
            if left.metadata != right.metadata {
                let show = { (m: CellMetadata) in m.entries.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
                problems.append("\(place): metadata '\(show(left.metadata))' against '\(show(right.metadata))'")
            }
            guard !left.kind.isProse else { continue }
            let leftProgram = maskedProgram(left.source, file: english.file)
            let rightProgram = maskedProgram(right.source, file: twin.file)
            if leftProgram != rightProgram {
                problems.append("\(place): the code differs beyond its strings\n" + firstDifference(leftProgram, rightProgram))
            }
        }
        return problems
    }

    /// A canonical dump of `source`'s syntax tree, one statement a line, with the text of
    /// every string literal replaced by `"…"`. Interpolated expressions are kept (sorted
    /// within their string, so a translation may reorder them as its grammar needs).
    /// Source that does not parse dumps as its diagnostics.
    public static func maskedProgram(_ source: String, file: String = "<cell>") -> String {
        let parsed = Parser.parse(SourceFile(name: file, text: source))
        if !parsed.diagnostics.isEmpty {
            return "does not parse: " + parsed.diagnostics.map(\.message).joined(separator: "; ")
        }
        return ProgramDump.statements(parsed.statements, indent: "")
    }

    /// The first line where two dumps differ, both ways.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let left = a.split(separator: "\n", omittingEmptySubsequences: false)
        let right = b.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? String(left[index]) : "(nothing)"
            let r = index < right.count ? String(right[index]) : "(nothing)"
            if l != r { return "  English: \(l)\n  twin:    \(r)" }
        }
        return ""
    }
}

/// The canonical text of a syntax tree with string literal text masked.
enum ProgramDump {
    static func statements(_ statements: [Stmt], indent: String) -> String {
        statements.map { statement($0, indent: indent) }.joined(separator: "\n")
    }

    static func block(_ body: [Stmt], indent: String) -> String {
        body.isEmpty ? "{}" : "{\n" + statements(body, indent: indent + "  ") + "\n\(indent)}"
    }

    static func statement(_ statement: Stmt, indent: String) -> String {
        let text: String
        switch statement.kind {
        case .expression(let e): text = expr(e)
        case .assign(let target, let value): text = "\(expr(target)) = \(expr(value))"
        case .function(let declaration): text = function(declaration, indent: indent)
        case .returnValue(let value): text = "return " + (value.map(expr) ?? "")
        case .ifElse(let condition, let then, let otherwise):
            text = "if \(expr(condition)) \(block(then, indent: indent))"
                + (otherwise.map { " else \(block($0, indent: indent))" } ?? "")
        case .forIn(let variable, let sequence, let body):
            text = "for \(variable) in \(expr(sequence)) \(block(body, indent: indent))"
        case .whileLoop(let condition, let body): text = "while \(expr(condition)) \(block(body, indent: indent))"
        case .breakLoop: text = "break"
        case .continueLoop: text = "continue"
        }
        return indent + text
    }

    static func function(_ declaration: FunctionDecl, indent: String) -> String {
        let parameters = declaration.parameters.map { p in p.name + (p.defaultValue.map { " = " + expr($0) } ?? "") }
        return "fn \(declaration.name)(\(parameters.joined(separator: ", "))) \(block(declaration.body, indent: indent))"
    }

    static func expr(_ e: Expr) -> String {
        switch e.kind {
        case .number(let value): return "num(\(value))"
        case .string(let parts):
            let interpolated = parts.compactMap { part -> String? in
                if case .expr(let inner) = part { return "{" + expr(inner) + "}" }
                return nil
            }
            return "str(\"…\"\(interpolated.sorted().joined()))"
        case .bool(let value): return "\(value)"
        case .nilLiteral: return "nil"
        case .variable(let name): return "var(\(name))"
        case .list(let items): return "[" + items.map(expr).joined(separator: ", ") + "]"
        case .record(let entries): return "{" + entries.map { "\($0.key): \(expr($0.value))" }.joined(separator: ", ") + "}"
        case .negate(let inner): return "-(\(expr(inner)))"
        case .not(let inner): return "not(\(expr(inner)))"
        case .binary(let op, let a, let b): return "(\(expr(a)) \(op.symbol) \(expr(b)))"
        case .logical(let isAnd, let a, let b): return "(\(expr(a)) \(isAnd ? "and" : "or") \(expr(b)))"
        case .range(let a, let b): return "(\(expr(a))..\(expr(b)))"
        case .call(let callee, let arguments):
            let shown = arguments.map { ($0.label.map { $0 + ": " } ?? "") + expr($0.value) }
            return "\(expr(callee))(\(shown.joined(separator: ", ")))"
        case .index(let base, let components):
            let shown = components.map { component -> String in
                switch component {
                case .single(let inner): return expr(inner)
                case .slice(let start, let stop, let step):
                    return [start, stop, step].map { $0.map(expr) ?? "" }.joined(separator: ":")
                }
            }
            return "\(expr(base))[\(shown.joined(separator: ", "))]"
        case .field(let base, let name): return "\(expr(base)).\(name)"
        case .function(let declaration): return function(declaration, indent: "")
        }
    }
}
