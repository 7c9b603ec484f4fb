import Foundation

/// A lesson: a percent-format file named `NN-name.lab` in `Lessons/`.
///
/// The title is the text of the first Markdown heading in its prose cells; the expected
/// running time is the first `time=` metadata on any marker line (e.g. `# %% [markdown] time=40s`),
/// and `quick_time=` the same for `--quick`.
public struct Lesson: Sendable, Equatable {
    public var document: NotebookDocument
    /// From the file name: `03-mode-collapse.lab` → 3 and "mode-collapse"; `nil` and the
    /// bare file name when the name has no number.
    public var number: Int?
    public var name: String
    public var title: String?
    public var expectedSeconds: Double?
    public var expectedQuickSeconds: Double?

    public var cells: [Cell] { document.cells }
    public var file: String { document.file }

    public init(document: NotebookDocument) {
        self.document = document
        let fileName = URL(fileURLWithPath: document.file).lastPathComponent
        (number, name) = Lesson.numberAndName(fromFileName: fileName)
        title = document.cells.lazy.filter { $0.kind == .markdown }
            .compactMap { Lesson.firstHeading(in: $0.source) }.first
        expectedSeconds = document.cells.lazy.compactMap { $0.metadata["time"] }
            .compactMap(MetadataDuration.seconds).first
        expectedQuickSeconds = document.cells.lazy.compactMap { $0.metadata["quick_time"] }
            .compactMap(MetadataDuration.seconds).first
    }

    public init(parsing text: String, file: String) throws(NotebookFormatError) {
        self.init(document: try NotebookDocument(parsing: text, file: file))
    }

    public init(contentsOf url: URL) throws(NotebookFormatError) {
        self.init(document: try NotebookDocument(contentsOf: url))
    }

    /// `03-mode-collapse.lab` → (3, "mode-collapse"); `tour.lab` → (nil, "tour").
    public static func numberAndName(fromFileName fileName: String) -> (Int?, String) {
        var stem = Substring(fileName)
        if stem.hasSuffix(".lab") { stem = stem.dropLast(4) }
        let digits = stem.prefix(while: { $0.isASCII && $0.isNumber })
        let rest = stem.dropFirst(digits.count)
        if !digits.isEmpty, rest.hasPrefix("-"), rest.count > 1, let n = Int(digits) {
            return (n, String(rest.dropFirst()))
        }
        return (nil, String(stem))
    }

    /// The text of the first ATX heading (`#`…`######`) outside fenced code.
    static func firstHeading(in markdown: String) -> String? {
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle(); continue }
            if inFence { continue }
            let hashes = trimmed.prefix(while: { $0 == "#" })
            guard (1...6).contains(hashes.count) else { continue }
            let after = trimmed.dropFirst(hashes.count)
            guard after.first == " " else { continue }
            let text = after.trimmingCharacters(in: .whitespaces)
            if !text.isEmpty { return text }
        }
        return nil
    }
}

/// The lessons of a directory, in order of their number.
public struct LessonCatalog: Sendable {
    public var lessons: [Lesson]

    /// Loads every `*.lab` file directly in `directory` whose name starts with a number
    /// (`NN-name.lab`). A malformed lesson throws its located error.
    public init(directory: URL) throws(NotebookFormatError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw NotebookFormatError(file: directory.path, line: 1, reason: .unreadable(error.localizedDescription))
        }
        var found: [Lesson] = []
        for name in names.sorted() where name.hasSuffix(".lab") {
            guard Lesson.numberAndName(fromFileName: name).0 != nil else { continue }
            found.append(try Lesson(contentsOf: directory.appendingPathComponent(name)))
        }
        lessons = found.sorted { ($0.number ?? .max, $0.name) < ($1.number ?? .max, $1.name) }
    }

    public init(lessons: [Lesson]) { self.lessons = lessons }

    /// Each numbered lesson's title (its first heading), by number: what `LessonTitles`
    /// serves to builtins' help and the methods' map.
    public var titles: [Int: String] {
        var titles: [Int: String] = [:]
        for lesson in lessons {
            if let number = lesson.number, let title = lesson.title, titles[number] == nil { titles[number] = title }
        }
        return titles
    }

    /// The lesson with this number (`"3"`, `"03"`), name (`"mode-collapse"`) or file name
    /// (`"03-mode-collapse.lab"`).
    public func lesson(named query: String) -> Lesson? {
        if let n = Int(query) { return lessons.first { $0.number == n } }
        let (number, name) = Lesson.numberAndName(fromFileName: query.hasSuffix(".lab") ? query : query + ".lab")
        return lessons.first { $0.name == name && (number == nil || $0.number == number) }
    }
}
