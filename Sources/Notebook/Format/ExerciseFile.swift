import Foundation

/// An `[exercise]` cell: the learner's code, with `todo("…")` where work is left.
public struct Exercise: Sendable, Equatable {
    public var id: String
    public var cell: Cell
    /// The hints for this exercise, in file order.
    public var hints: [Cell]
    /// How many `todo(…)` calls the code still holds (comments and strings do not count).
    public var todoCount: Int { LabScriptHighlighter.callCount(of: "todo", in: cell.source) }
}

/// A `[test]` cell: code the grader runs after the learner's code, worth `points`.
public struct ExerciseTest: Sendable, Equatable {
    public var name: String
    public var points: Int
    /// From `timeout=` (e.g. `timeout=5s`); `nil` means the grader's default.
    public var timeoutSeconds: Double?
    public var cell: Cell
    /// The file the test comes from (the exercise file, or a teacher's tests file).
    public var file: String
    /// Hidden tests come from a teacher's extra file: their names and results are shown,
    /// their code is not.
    public var isHidden: Bool

    /// `points=` must be a whole number of at least 1.
    public static func points(from text: String) -> Int? {
        guard let n = Int(text), n >= 1 else { return nil }
        return n
    }
}

/// An exercise file (`Lessons/Exercises/NN-name.lab`) read for the grader: its exercises
/// with their hints, and its tests, visible and (after `merging`) hidden.
public struct ExerciseFile: Sendable, Equatable {
    public var document: NotebookDocument
    public var exercises: [Exercise]
    /// Every hint in file order (the order `selfsup hint` shows them).
    public var hints: [Cell]
    public var tests: [ExerciseTest]
    /// When the exercise was put together from a hand-in and the official file
    /// (`ExerciseFile.handIn`): the official file, whose name its code cells run under.
    public var setupFile: String?

    /// Validates a parsed file: at least one exercise and one test. (Ids, points and
    /// names are already checked by the parser.)
    public init(document: NotebookDocument) throws(NotebookFormatError) {
        self.document = document
        var exercises: [Exercise] = []
        var hints: [Cell] = []
        var tests: [ExerciseTest] = []
        for cell in document.cells {
            switch cell.kind {
            case .exercise:
                exercises.append(Exercise(id: cell.metadata["id"] ?? "", cell: cell, hints: []))
            case .hint:
                hints.append(cell)
                let target = cell.metadata["exercise"].flatMap { id in exercises.firstIndex { $0.id == id } }
                    ?? exercises.indices.last
                if let target { exercises[target].hints.append(cell) }
            case .test:
                tests.append(try ExerciseFile.test(from: cell, file: document.file, hidden: false))
            case .code, .markdown:
                break
            }
        }
        guard !exercises.isEmpty else {
            throw NotebookFormatError(file: document.file, line: 1, reason: .noExercises)
        }
        guard !tests.isEmpty else {
            throw NotebookFormatError(file: document.file, line: 1, reason: .noTests)
        }
        self.exercises = exercises
        self.hints = hints
        self.tests = tests
    }

    public init(parsing text: String, file: String) throws(NotebookFormatError) {
        try self.init(document: NotebookDocument(parsing: text, file: file))
    }

    public init(contentsOf url: URL) throws(NotebookFormatError) {
        try self.init(document: NotebookDocument(contentsOf: url))
    }

    /// The total of all tests' points.
    public var maxPoints: Int { tests.reduce(0) { $0 + $1.points } }

    /// The cells the grader runs, in order, before the tests: code and exercise cells.
    public var learnerCells: [Cell] { document.cells.filter { $0.kind == .code || $0.kind == .exercise } }

    /// The file as a learner is given it: the exercise file's text exactly as written.
    /// Hidden tests live in the teacher's file, so they never appear here.
    public func starterText() -> String {
        document.text
    }

    /// Adds a teacher's tests (from another file) as hidden tests, after the visible ones.
    /// The tests file may hold only `[test]` and prose cells. A hidden test named like a
    /// visible one still runs (the report marks it `[hidden]`): a visible name can never
    /// keep the teacher's tests from running. Names repeated within the tests file itself
    /// are the teacher's mistake and refused.
    public func merging(hiddenTests extra: NotebookDocument) throws(NotebookFormatError) -> ExerciseFile {
        var merged = self
        var lines: [String: Int] = [:]
        for cell in extra.cells {
            switch cell.kind {
            case .test:
                let test = try ExerciseFile.test(from: cell, file: extra.file, hidden: true)
                let line = cell.markerLine ?? cell.firstLine
                if let first = lines[test.name] {
                    throw NotebookFormatError(file: extra.file, line: line,
                                              reason: .duplicateTestName(test.name, firstLine: first))
                }
                lines[test.name] = line
                merged.tests.append(test)
            case .markdown, .hint:
                continue
            case .code, .exercise:
                throw NotebookFormatError(file: extra.file, line: cell.markerLine ?? cell.firstLine,
                                          reason: .unexpectedCellInTestsFile(cell.kind))
            }
        }
        return merged
    }

    /// Hint `index` (0-based) in file order, or `nil` when there are no more.
    public func hint(at index: Int) -> Cell? {
        hints.indices.contains(index) ? hints[index] : nil
    }

    /// Exercise ids: letters, digits, `-` and `_`.
    public static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    private static func test(from cell: Cell, file: String, hidden: Bool) throws(NotebookFormatError) -> ExerciseTest {
        let line = cell.markerLine ?? cell.firstLine
        guard let pointsText = cell.metadata["points"] else {
            throw NotebookFormatError(file: file, line: line, reason: .missingPoints)
        }
        guard let points = ExerciseTest.points(from: pointsText) else {
            throw NotebookFormatError(file: file, line: line, reason: .invalidPoints(pointsText))
        }
        guard let name = cell.metadata["name"], !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw NotebookFormatError(file: file, line: line, reason: .testWithoutName)
        }
        return ExerciseTest(name: name, points: points,
                            timeoutSeconds: cell.metadata["timeout"].flatMap(MetadataDuration.seconds),
                            cell: cell, file: file, isHidden: hidden)
    }
}
