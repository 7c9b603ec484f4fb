import Foundation
import LabBuiltins
import LabScript
import Notebook

/// `selfsup run FILE` and the REPL's `:load FILE` when FILE is an exercise (it has
/// `[exercise]` or `[test]` cells): its cells run one after another in the session, as a
/// script's lines would (no code or prose shown, no final value echoed), except that a
/// `[test]` cell runs as the grader runs it and prints `✓ name (N points)` when it passes,
/// a failed test is reported and the run goes on, and the `[exercise]` cells are recorded
/// for `check()` (`ExerciseCells`). Hints are not run.
enum ExerciseRun {
    /// The official exercises (`Lessons/Exercises`), where `check()` finds the exercise.
    static var exercisesDirectory: URL? { ProjectPaths.exercises.map { URL(fileURLWithPath: $0) } }

    /// The file's cells when it is an exercise file; nil for a plain script (or text that
    /// is not well-formed percent format, which then runs as a script and reports its errors).
    static func document(_ text: String, name: String) -> NotebookDocument? {
        guard let document = try? NotebookDocument(parsing: text, file: name),
              document.cells.contains(where: { $0.kind == .exercise || $0.kind == .test }) else { return nil }
        return document
    }

    /// Runs an exercise document in `session` (in `scope`, or the session's globals),
    /// recording its exercise cells in `exercise`.
    static func run(_ document: NotebookDocument, session: ScriptSession, scope: Scope?, exercise: ExerciseCells,
                    write: @escaping (String) -> Void) -> LessonRun {
        let executor = InterpreterCellExecutor(session: session, scope: scope,
                                               colour: session.display.color, exercise: exercise)
        executor.echoFinalValue = false
        let options = LessonRunner.Options(width: session.display.width, colour: session.display.color,
                                           showCode: false, showProse: false)
        let runner = LessonRunner(executor: executor, options: options, write: write)
        return REPLHost.cancellingOnInterrupt(session.interpreter) { runner.run(document) }
    }
}
