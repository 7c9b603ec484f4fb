import LabScript

/// The `CellExecutor` the CLI uses for lessons: runs each cell's code through a LabScript
/// interpreter session, in one scope shared by all cells (variables persist from cell to
/// cell), with `todo` installed.
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
    private let runner: CodeRunner

    public init(session: ScriptSession, scope: Scope? = nil, timeLimit: Double? = nil, colour: Bool = false) {
        self.session = session
        self.scope = scope ?? session.interpreter.globals
        self.timeLimit = timeLimit
        self.colour = colour
        self.runner = CodeRunner(session: session)
        ExerciseBuiltins.install(in: session.interpreter)
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
        var outputs = run.outputs
        guard let first = run.diagnostics.first else { return CellResult(outputs: outputs) }
        let rendered = DiagnosticRenderer(color: colour).render(run.diagnostics)
        let error = CellOutput.error(rendered.hasSuffix("\n") ? String(rendered.dropLast()) : rendered)
        outputs.append(error)
        onOutput(error)
        return CellResult(outputs: outputs, failure: CellFailure(line: first.line, message: first.message))
    }
}
