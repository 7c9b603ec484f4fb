import LabScript

/// Builtins every session has, defined here and installed in one place: `ScriptSession`'s
/// initialiser, which the grader, the lesson runner, `selfsup run`, the REPL and the
/// Jupyter kernel all go through; they are the registry's "Exercises" group, with help
/// and docs like every builtin.
///
/// - `todo`, where the learner's work goes; `check()`, the marks of the exercise cells
///   run so far (`ExerciseCells`);
/// - `expect_equal` and `expect_shape`, the very functions the grader's tests call
///   (`GraderExpectations`: one definition), so a visible test line copied into any cell
///   works as it does under `selfsup grade`. `expect` and `expect_close` stay the
///   language's own in plain cells (lessons rely on their messages and tolerance); a
///   `[test]` cell runs with the grader's four (`VisibleTest`).
public enum ExerciseBuiltins {
    /// `todo("…")`: marks work left in an exercise. Calling it stops with
    /// "not done yet: …", pointing at the call in the learner's file.
    public static var todo: NativeFunction { NativeFunction(
        name: "todo", parameters: [Parameter("what", default: .string("this part"),
                                             documentation: "what is left to do")],
        summary: "Stops with \"not done yet: what\"; exercises use it where the learner's work goes.",
        example: "fn f(x) { todo(\"return x squared\") }"
    ) { args, _ in
        throw RuntimeError(.host, "not done yet: \(try args.string("what"))")
    } }

    /// `check()`: grades the exercise cells the session ran, afresh, against the visible
    /// tests (`ExerciseCells.grade`), prints the marks and returns the score. A session
    /// with no exercise record (the grader's own, a plain script) says so.
    public static var check: NativeFunction {
        NativeFunction(
            name: "check", parameters: [],
            summary: "Grades the exercise cells you have run, afresh, against the exercise's visible tests, and prints the marks.",
            details: "Runs the latest source of every [exercise] cell this session ran in a new grader session, "
                + "as `selfsup grade` does, then the visible [test] cells of the official exercise (never the "
                + "teacher's hidden tests). Nothing of this session's variables is used. Returns the score.",
            example: "check()"
        ) { _, context in
            guard let cells = ExerciseCells.attached(to: context.interpreter) else {
                throw RuntimeError(.host, "check: this session runs no exercise (run an exercise file with "
                                   + "`selfsup run` or `:load`, or its exported notebook in Jupyter)")
            }
            let report = try cells.grade()
            context.write(report.humanText())
            return .number(Double(report.score))
        }
    }

    /// Every exercise builtin, each defined once.
    public static var all: [NativeFunction] {
        [todo, check, GraderExpectations.expectEqual, GraderExpectations.expectShape]
    }
}
