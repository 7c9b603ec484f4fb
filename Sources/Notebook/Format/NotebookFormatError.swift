/// A malformed lesson or exercise file: what is wrong and where.
///
/// Printed as `file:line: error: message`, like every other diagnostic in SelfSup Lab.
public struct NotebookFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Each way a file can be malformed, with what the reader needs to fix it.
    public enum Reason: Sendable, Equatable {
        /// `# %% [name]` with a name that is not markdown, exercise, hint or test.
        case unknownCellKind(String)
        /// A marker line that cannot be read, e.g. an unclosed `[`.
        case malformedMarker(String)
        /// Metadata that is not `key=value` (with an explanation).
        case badMetadata(String)
        /// The same key twice on one marker line.
        case duplicateMetadataKey(String)
        /// A line inside a prose cell that does not start with `#`.
        case proseLineWithoutHash
        /// An `[exercise]` cell without `id=`.
        case missingExerciseID
        /// An exercise id that is not letters, digits, `-` and `_`.
        case invalidExerciseID(String)
        /// A second `[exercise]` with an id already used at `firstLine`.
        case duplicateExerciseID(String, firstLine: Int)
        /// A `[hint] exercise=…` naming no exercise before it.
        case unknownExercise(String)
        /// A `[test]` cell without `points=`.
        case missingPoints
        /// `points=` that is not a whole number of at least 1.
        case invalidPoints(String)
        /// A `[test]` cell without `name="…"` (or with an empty one).
        case testWithoutName
        /// Two tests with the same name (the first at `firstLine`, perhaps in another file).
        case duplicateTestName(String, firstLine: Int)
        /// A duration (e.g. `time=`, `timeout=`) that is not like `45s`, `2m`, `1m30s` or `500ms`.
        case invalidDuration(key: String, value: String)
        /// An exercise file with no `[exercise]` cell, or no `[test]` cell.
        case noExercises
        case noTests
        /// A hidden-tests file may hold only `[test]` and prose cells.
        case unexpectedCellInTestsFile(CellKind)
        /// The file could not be read at all.
        case unreadable(String)
    }

    public var file: String
    public var line: Int
    public var reason: Reason

    public init(file: String, line: Int, reason: Reason) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var message: String {
        switch reason {
        case .unknownCellKind(let name):
            return "unknown cell kind '[\(name)]' (expected [markdown], [exercise], [hint] or [test])"
        case .malformedMarker(let detail):
            return "malformed cell marker: \(detail)"
        case .badMetadata(let detail):
            return "bad cell metadata: \(detail)"
        case .duplicateMetadataKey(let key):
            return "metadata key '\(key)' is given twice"
        case .proseLineWithoutHash:
            return "every line of a prose cell must start with '# ' (or be a bare '#' for an empty line)"
        case .missingExerciseID:
            return "an [exercise] cell needs an id, e.g. '# %% [exercise] id=nt-xent'"
        case .invalidExerciseID(let id):
            return "exercise id '\(id)' may only contain letters, digits, '-' and '_'"
        case .duplicateExerciseID(let id, let first):
            return "exercise id '\(id)' is already used by the exercise at line \(first)"
        case .unknownExercise(let id):
            return "no exercise with id '\(id)' before this hint"
        case .missingPoints:
            return "a [test] cell needs points, e.g. '# %% [test] points=2 name=\"shape\"'"
        case .invalidPoints(let value):
            return "points must be a whole number of at least 1, not '\(value)'"
        case .testWithoutName:
            return "a [test] cell needs a non-empty name, e.g. name=\"loss is symmetric\""
        case .duplicateTestName(let name, let first):
            return "test name \"\(name)\" is already used by the test at line \(first)"
        case .invalidDuration(let key, let value):
            return "\(key)=\(value) is not a duration (write e.g. 45s, 2m, 1m30s or 500ms)"
        case .noExercises:
            return "an exercise file needs at least one [exercise] cell"
        case .noTests:
            return "an exercise file needs at least one [test] cell"
        case .unexpectedCellInTestsFile(let kind):
            return "a tests file may only hold [test] and [markdown] cells, not a \(kind.rawValue) cell"
        case .unreadable(let detail):
            return "cannot read the file: \(detail)"
        }
    }

    public var description: String { "\(file):\(line): error: \(message)" }
}
