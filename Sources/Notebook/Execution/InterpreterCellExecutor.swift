import LabScript

/// The `CellExecutor` the CLI uses for lessons: runs each cell's code through a LabScript
/// interpreter session, in one scope shared by all cells (variables persist from cell to
/// cell), with the exercise builtins installed (`ExerciseBuiltins`, by the session).
///
/// Run through `execute(cell:…)`, a `[test]` cell runs as the grader runs it and says
/// `✓ name (N points)` when it passes, and `[exercise]` cells are recorded for `check()`
/// (`ExerciseCells`; the executor attaches its record to the session, for `check()`).
///
/// - Printed text becomes `.text` outputs, streamed as it is written.
/// - A parse or runtime error becomes an `.error` output (rendered `file:line:col: error:`
///   with the source line and a caret, line numbers counted in the lesson file) and a
///   `CellFailure` at that file line.
/// - `timeLimit` stops a cell that runs too long; `cancel()` (e.g. from a Ctrl-C handler)
///   stops the running cell at its next loop iteration or call.
///
///     let executor = InterpreterCellExecutor(session: session)
///     let run = LessonRunner(executor: executor, write: LessonRunner.writeToStandardOutput).run(lesson)
public final class InterpreterCellExecutor: CellExecutor {
    public let session: ScriptSession
    /// Where cells run: by default the session's globals.
    public var scope: Scope
    /// Seconds a cell may run (nil: no limit).
    public var timeLimit: Double?
    /// Render diagnostics with ANSI colour.
    public var colour: Bool
    /// Show the value of a cell's final expression (a chart as a figure), as notebooks do.
    public var echoFinalValue = true
    /// The exercise cells this executor ran, which `check()` grades.
    public let exercise: ExerciseCells
    private let runner: CodeRunner

    public init(session: ScriptSession, scope: Scope? = nil, timeLimit: Double? = nil, colour: Bool = false,
                exercise: ExerciseCells = ExerciseCells()) {
        self.session = session
        self.scope = scope ?? session.interpreter.globals
        self.timeLimit = timeLimit
        self.colour = colour
        self.runner = CodeRunner(session: session)
        self.exercise = exercise
        exercise.attach(to: session.interpreter)
    }

    /// Stops the running cell (safe to call from another thread or a signal handler's flag).
    public func cancel() {
        session.interpreter.cancellation.cancel()
    }

    public func execute(code: String, file: String, firstLine: Int) -> CellResult {
        execute(code: code, file: file, firstLine: firstLine, onOutput: { _ in })
    }

    public func execute(code: String, file: String, firstLine: Int,
                        onOutput: (CellOutput) -> Void) -> CellResult {
        let run = runner.run(code, file: file, firstLine: firstLine, in: scope, timeLimit: timeLimit, echo: echoFinalValue,
                             onOutput: onOutput)
        return result(of: run, onOutput: onOutput)
    }

    public func execute(cell: Cell, file: String, onOutput: (CellOutput) -> Void) -> CellResult {
        switch cell.kind {
        case .test:
            let run = VisibleTest.run(cell, file: file, runner: runner, over: scope, timeLimit: timeLimit,
                                      testSeed: exercise.graderOptions.testSeed, onOutput: onOutput)
            return result(of: run, onOutput: onOutput)
        case .exercise:
            exercise.record(cell, file: file)
            return execute(code: cell.source, file: file, firstLine: cell.firstLine, onOutput: onOutput)
        default:
            return execute(code: cell.source, file: file, firstLine: cell.firstLine, onOutput: onOutput)
        }
    }

    private func result(of run: CodeRun, onOutput: (CellOutput) -> Void) -> CellResult {
        var outputs = run.outputs
        guard let first = run.diagnostics.first else { return CellResult(outputs: outputs) }
        let rendered = DiagnosticRenderer(color: colour).render(run.diagnostics)
        let error = CellOutput.error(rendered.hasSuffix("\n") ? String(rendered.dropLast()) : rendered)
        outputs.append(error)
        onOutput(error)
        return CellResult(outputs: outputs, failure: CellFailure(line: first.line, message: first.message))
    }
}
