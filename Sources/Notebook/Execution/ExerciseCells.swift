import Foundation
import LabScript
import LabSupport

/// Exercise cells where the learner works (`selfsup run`, the REPL's `:load`, the lesson
/// runner, the Jupyter kernel), outside the grader:
///
/// - a `[test]` cell runs as the grader runs it (`runTest`): in a fresh scope of its own
///   over the session's variables, with the grader's `expect`, `expect_close`,
///   `expect_equal` and `expect_shape` (`GraderExpectations`, the same definitions)
///   winning over the learner's names, and the generator at the grader's test seed; when
///   it passes it says so: `✓ name (N points)`;
/// - the session records the source of each `[exercise]` cell it ran, by its `id=` (the
///   latest run of an id replaces the earlier one);
/// - `check()` grades those recorded sources afresh, as `selfsup grade` would: a new
///   grader session runs them against the official exercise's visible tests (never the
///   teacher's hidden ones) and prints the marks. It reads nothing of the live session, so
///   a global the learner changed by hand after running their cells changes nothing.
///
/// The official exercise is found as `selfsup grade` finds it, by the ids of the recorded
/// exercise cells (`OfficialExercise.find` in `exercisesDirectory`), so the session needs
/// no other word on which exercise it holds.
public final class ExerciseCells {
    /// Where official exercises are looked up by id (`Lessons/Exercises`); nil: `check()`
    /// says it cannot grade.
    public var exercisesDirectory: URL?
    /// Makes the fresh grader session of `check()`.
    public var makeSession: ScriptSession.Factory
    public var graderOptions: GraderOptions
    /// The exercise cells run so far, latest source per id, in the order first run.
    public private(set) var cells: [Cell] = []
    /// The file the latest exercise cell came from (what `check()` reports on).
    public private(set) var file = "<session>"

    public init(exercisesDirectory: URL? = nil, makeSession: @escaping ScriptSession.Factory = ScriptSession.standard,
                graderOptions: GraderOptions = GraderOptions()) {
        self.exercisesDirectory = exercisesDirectory
        self.makeSession = makeSession
        self.graderOptions = graderOptions
    }

    /// Remembers an `[exercise]` cell the session ran (cells without an id are not exercise work).
    public func record(_ cell: Cell, file: String) {
        guard cell.kind == .exercise, let id = cell.metadata["id"] else { return }
        self.file = file
        if let index = cells.firstIndex(where: { $0.metadata["id"] == id }) {
            cells[index] = cell
        } else {
            cells.append(cell)
        }
    }

    /// Forgets the recorded cells (a new exercise file is loaded).
    public func reset() {
        cells = []
        file = "<session>"
    }

    /// Makes this the record that `check()` grades in `interpreter`'s session (replacing
    /// an earlier one). The session has `check()` already (`ScriptSession` installs it).
    public func attach(to interpreter: Interpreter) {
        attachments.set(self, for: interpreter)
    }

    /// The record attached to a session, if any.
    static func attached(to interpreter: Interpreter) -> ExerciseCells? {
        attachments.cells(for: interpreter)
    }

    /// Grades the recorded cells against the official exercise's visible tests only.
    public func grade() throws -> GradeReport {
        guard !cells.isEmpty else {
            throw RuntimeError(.host, "check: no exercise cell has run yet; run your [exercise] cells first, then check()")
        }
        guard let directory = exercisesDirectory else {
            throw RuntimeError(.host, "check: cannot find the exercises folder (set SELFSUP_ROOT to the project folder)")
        }
        let learner = NotebookDocument(file: file, cells: cells)
        let official: ExerciseFile
        let handIn: ExerciseFile
        do {
            let url = try OfficialExercise.find(for: learner, in: directory)
            // The official exercise in the session's language, as `selfsup grade` reads it:
            // the twin is the same program, so only its messages differ.
            official = try ExerciseFile(contentsOf: LessonTranslation.inLanguage(url, Messages.language))
            handIn = try ExerciseFile.handIn(learner, official: official)
        } catch let error as OfficialExercise.NotFound {
            throw RuntimeError(.host, "check: \(error.description)")
        } catch {
            throw RuntimeError(.host, "check: \(error)")
        }
        return Grader(options: graderOptions, makeSession: makeSession).grade(handIn)
    }
}

/// Which record each session's `check()` grades (weakly: a finished session leaves nothing).
private final class Attachments: @unchecked Sendable {
    private struct Entry {
        weak var interpreter: Interpreter?
        weak var cells: ExerciseCells?
    }
    private let lock = NSLock()
    private var entries: [Entry] = []

    func set(_ cells: ExerciseCells, for interpreter: Interpreter) {
        lock.lock()
        defer { lock.unlock() }
        entries.removeAll { $0.interpreter == nil || $0.cells == nil || $0.interpreter === interpreter }
        entries.append(Entry(interpreter: interpreter, cells: cells))
    }

    func cells(for interpreter: Interpreter) -> ExerciseCells? {
        lock.lock()
        defer { lock.unlock() }
        return entries.first { $0.interpreter === interpreter }?.cells
    }
}

private let attachments = Attachments()

/// A visible `[test]` cell run in a learner's session (see `ExerciseCells`).
public enum VisibleTest {
    /// The line a passing test prints: `✓ name (N points)`, in the chosen language (the
    /// name through the catalogue).
    public static func passLine(_ cell: Cell) -> String {
        let name = cell.metadata["name"] ?? "test"
        let points = cell.metadata["points"].flatMap(ExerciseTest.points(from:))
        let shown = Messages.text(name)
        switch points {
        case nil: return "✓ \(shown)\n"
        case 1?: return Messages.text("✓ {name} (1 point)", ["name": shown]) + "\n"
        case let points?: return Messages.text("✓ {name} ({points} points)", ["name": shown, "points": String(points)]) + "\n"
        }
    }

    /// Runs a test cell in a fresh scope over `scope` with the grader's checks, the
    /// generator at the grader's test seed; a pass adds `passLine` to the outputs.
    public static func run(_ cell: Cell, file: String, runner: CodeRunner, over scope: Scope, timeLimit: Double?,
                           testSeed: UInt64 = GraderOptions().testSeed,
                           onOutput: (CellOutput) -> Void) -> CodeRun {
        let layer = Scope(parent: scope, isProtected: true)
        for function in GraderExpectations.all { layer.define(function.name, .native(function)) }
        runner.session.reseed(testSeed)
        var run = runner.run(cell.source, file: file, firstLine: cell.firstLine, in: Scope(parent: layer),
                             timeLimit: timeLimit, onOutput: onOutput)
        if run.succeeded {
            let passed = CellOutput.text(passLine(cell))
            run.outputs.append(passed)
            onOutput(passed)
        }
        return run
    }
}
