/// The kind of a cell in a percent-format file, named by the bracket on its marker line.
///
///     # %%                          code
///     # %% [markdown]               prose (lines start with "# ")
///     # %% [exercise] id=…          the learner's code, with todo("…") where work is left
///     # %% [hint]                   prose shown on request, in order
///     # %% [test] points=N name="…" code the grader runs after the learner's code
public enum CellKind: String, Sendable, Equatable, CaseIterable {
    case code
    case markdown
    case exercise
    case hint
    case test

    /// Prose kinds hold commented text; the others hold LabScript.
    public var isProse: Bool { self == .markdown || self == .hint }

    /// The bracket written on the marker line (`nil` for a plain code cell).
    public var bracket: String? { self == .code ? nil : rawValue }
}

/// The `key=value` pairs after a cell marker, in the order they were written.
public struct CellMetadata: Sendable, Equatable {
    public private(set) var entries: [(key: String, value: String)]

    public init(_ entries: [(key: String, value: String)] = []) { self.entries = entries }

    public subscript(key: String) -> String? {
        entries.first(where: { $0.key == key })?.value
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }

    /// Sets `key` (replacing an existing value in place, or appending).
    public mutating func set(_ key: String, _ value: String) {
        if let i = entries.firstIndex(where: { $0.key == key }) {
            entries[i].value = value
        } else {
            entries.append((key, value))
        }
    }

    public static func == (a: CellMetadata, b: CellMetadata) -> Bool {
        a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

/// One cell of a lesson or exercise file.
///
/// `source` is what the cell holds: for code kinds the LabScript text exactly as written,
/// for prose kinds the Markdown with the leading `# ` removed. Blank lines at the start and
/// end are trimmed; `firstLine` is the 1-based line in the file of the first line of
/// `source`, so a diagnostic at line `k` of the source is at `firstLine + k - 1` in the file.
public struct Cell: Sendable, Equatable {
    public var kind: CellKind
    public var metadata: CellMetadata
    public var source: String
    /// The line of the `# %%` marker; `nil` for the implicit code cell before the first marker.
    public var markerLine: Int?
    /// The file line of the first line of `source` (the line after the marker when empty).
    public var firstLine: Int

    public init(kind: CellKind, metadata: CellMetadata = CellMetadata(), source: String,
                markerLine: Int?, firstLine: Int) {
        self.kind = kind
        self.metadata = metadata
        self.source = source
        self.markerLine = markerLine
        self.firstLine = firstLine
    }
}
