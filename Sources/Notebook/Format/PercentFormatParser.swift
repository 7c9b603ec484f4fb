import Foundation

/// A parsed lesson or exercise file: its cells in order.
public struct NotebookDocument: Sendable, Equatable {
    /// The file name used in diagnostics (as given to the parser).
    public var file: String
    public var cells: [Cell]
    /// The text the cells were parsed from, exactly as given.
    public var text: String
    /// The exercise this document says it is a copy of (`02-nt-xent`): a notebook's
    /// `metadata.selfsup.exercise`, which `selfsup export EXERCISE.lab --to ipynb` writes.
    /// nil for percent-format text, whose file name says it (`ExerciseProgress.key`).
    public var exerciseKey: String? = nil

    /// A document made in code; its `text` is the cells written in the percent format.
    public init(file: String, cells: [Cell]) {
        self.file = file
        self.cells = cells
        self.text = PercentFormatWriter.text(of: cells)
    }

    init(file: String, cells: [Cell], text: String) {
        self.file = file
        self.cells = cells
        self.text = text
    }

    /// Parses percent-format text. `file` is only used to locate errors.
    public init(parsing text: String, file: String) throws(NotebookFormatError) {
        self = try PercentFormatParser(file: file).parse(text)
    }

    /// Reads and parses a file: the percent format, or a Jupyter notebook when the name
    /// ends in `.ipynb` (read into the same cells, see `JupyterNotebookReader`).
    public init(contentsOf url: URL) throws(NotebookFormatError) {
        try self.init(reading: url, handIn: false)
    }

    /// Reads a learner's hand-in, a `.lab` file or an `.ipynb` notebook exported from one:
    /// as `init(contentsOf:)`, except that the metadata of its `[test]` cells is not
    /// checked, since the grader ignores those cells and runs the official tests, and a
    /// notebook cell whose Jupyter type disagrees with its kind is read by its kind. An
    /// edited, renamed, added or retyped test cell cannot keep a hand-in from being graded.
    public init(handIn url: URL) throws(NotebookFormatError) {
        try self.init(reading: url, handIn: true)
    }

    private init(reading url: URL, handIn: Bool) throws(NotebookFormatError) {
        if url.pathExtension.lowercased() == "ipynb" {
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw NotebookFormatError(file: url.path, line: 1, reason: .unreadable("no such file or not readable"))
            }
            self = try JupyterNotebookReader.document(data: data, file: url.path, handIn: handIn)
            return
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw NotebookFormatError(file: url.path, line: 1, reason: .unreadable(error.localizedDescription))
        }
        self = try PercentFormatParser(file: url.path, checksTests: !handIn).parse(text)
    }

    /// Parses a hand-in's percent-format text (see `init(handIn:)`).
    public init(handInText text: String, file: String) throws(NotebookFormatError) {
        self = try PercentFormatParser(file: file, checksTests: false).parse(text)
    }
}

/// The percent cell format (as in jupytext), with SelfSup Lab's exercise kinds.
///
/// A line `# %%` starts a code cell, `# %% [kind]` a cell of another kind; `key=value`
/// metadata may follow on the marker line. Lines before the first marker, if any are not
/// blank, form an implicit code cell. Prose lines start with `# `; a bare `#` is an empty line.
struct PercentFormatParser {
    let file: String
    /// false for a hand-in, whose test cells the grader never runs.
    var checksTests = true

    private struct PendingCell {
        var kind: CellKind
        var metadata: CellMetadata
        var markerLine: Int?
        var lines: [(number: Int, text: String)] = []
    }

    func parse(_ text: String) throws(NotebookFormatError) -> NotebookDocument {
        // "\r\n" is one Character in Swift, so both line ends are split on explicitly.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map(String.init)
        if lines.last == "" { lines.removeLast() }

        var cells: [Cell] = []
        var pending = PendingCell(kind: .code, metadata: CellMetadata(), markerLine: nil)
        var exerciseLines: [String: Int] = [:]
        var testLines: [String: Int] = [:]

        for (index, line) in lines.enumerated() {
            let number = index + 1
            if let (kind, metadata) = try marker(line, line: number) {
                if let cell = try finish(pending) { cells.append(cell) }
                try validate(kind: kind, metadata: metadata, line: number,
                             exerciseLines: &exerciseLines, testLines: &testLines)
                pending = PendingCell(kind: kind, metadata: metadata, markerLine: number)
            } else {
                pending.lines.append((number, line))
            }
        }
        if let cell = try finish(pending) { cells.append(cell) }
        return NotebookDocument(file: file, cells: cells, text: text)
    }

    /// The kind and metadata if `line` is a cell marker, `nil` if it is an ordinary line.
    private func marker(_ line: String, line number: Int) throws(NotebookFormatError) -> (CellKind, CellMetadata)? {
        guard line.hasPrefix("# %%") else { return nil }
        var rest = line.dropFirst(4)
        if let next = rest.first, next != " ", next != "\t" {
            throw error(number, .malformedMarker("expected a space after '# %%', found '\(next)'"))
        }
        rest = rest.drop(while: { $0 == " " || $0 == "\t" })
        var kind = CellKind.code
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else {
                throw error(number, .malformedMarker("'[' without a closing ']'"))
            }
            let name = rest[rest.index(after: rest.startIndex)..<close].trimmingCharacters(in: .whitespaces)
            switch name.lowercased() {
            case "markdown", "md": kind = .markdown
            case "exercise": kind = .exercise
            case "hint": kind = .hint
            case "test": kind = .test
            default: throw error(number, .unknownCellKind(name))
            }
            rest = rest[rest.index(after: close)...]
            if let next = rest.first, next != " ", next != "\t" {
                throw error(number, .malformedMarker("expected a space after ']'"))
            }
        }
        do throws(MetadataParser.Failure) {
            return (kind, try MetadataParser.parse(rest))
        } catch {
            switch error {
            case .bad(let detail): throw self.error(number, .badMetadata(detail))
            case .duplicateKey(let key): throw self.error(number, .duplicateMetadataKey(key))
            }
        }
    }

    private func validate(kind: CellKind, metadata: CellMetadata, line: Int,
                          exerciseLines: inout [String: Int],
                          testLines: inout [String: Int]) throws(NotebookFormatError) {
        if kind == .test && !checksTests { return }
        for key in ["time", "timeout"] {
            if let value = metadata[key], MetadataDuration.seconds(value) == nil {
                throw error(line, .invalidDuration(key: key, value: value))
            }
        }
        switch kind {
        case .exercise:
            guard let id = metadata["id"] else { throw error(line, .missingExerciseID) }
            guard ExerciseFile.isValidID(id) else { throw error(line, .invalidExerciseID(id)) }
            if let first = exerciseLines[id] { throw error(line, .duplicateExerciseID(id, firstLine: first)) }
            exerciseLines[id] = line
        case .hint:
            if let id = metadata["exercise"], exerciseLines[id] == nil {
                throw error(line, .unknownExercise(id))
            }
        case .test:
            guard let points = metadata["points"] else { throw error(line, .missingPoints) }
            guard ExerciseTest.points(from: points) != nil else { throw error(line, .invalidPoints(points)) }
            guard let name = metadata["name"],
                  !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw error(line, .testWithoutName)
            }
            if let first = testLines[name] { throw error(line, .duplicateTestName(name, firstLine: first)) }
            testLines[name] = line
        case .code, .markdown:
            break
        }
    }

    /// Turns collected lines into a cell; `nil` for a blank implicit cell before the first marker.
    private func finish(_ pending: PendingCell) throws(NotebookFormatError) -> Cell? {
        var body: [(number: Int, text: String)] = []
        for (number, text) in pending.lines {
            if pending.kind.isProse {
                body.append((number, try proseText(text, line: number)))
            } else {
                body.append((number, text))
            }
        }
        func isBlank(_ s: String) -> Bool { s.allSatisfy { $0 == " " || $0 == "\t" } }
        while let last = body.last, isBlank(last.text) { body.removeLast() }
        while let first = body.first, isBlank(first.text) { body.removeFirst() }

        if pending.markerLine == nil && body.isEmpty { return nil }
        let firstLine = body.first?.number ?? (pending.markerLine ?? 0) + 1
        return Cell(kind: pending.kind, metadata: pending.metadata,
                    source: body.map(\.text).joined(separator: "\n"),
                    markerLine: pending.markerLine, firstLine: firstLine)
    }

    /// A prose line without its comment mark: `# text` → `text`, `#` → empty.
    private func proseText(_ line: String, line number: Int) throws(NotebookFormatError) -> String {
        if line.allSatisfy({ $0 == " " || $0 == "\t" }) { return "" }
        guard line.hasPrefix("#") else { throw error(number, .proseLineWithoutHash) }
        let rest = line.dropFirst()
        if rest.isEmpty { return "" }
        guard rest.first == " " || rest.first == "\t" else { throw error(number, .proseLineWithoutHash) }
        return String(rest.dropFirst())
    }

    private func error(_ line: Int, _ reason: NotebookFormatError.Reason) -> NotebookFormatError {
        NotebookFormatError(file: file, line: line, reason: reason)
    }
}
