import LabScript

/// Builtins every exercise session has, installed in one place: `ScriptSession`'s
/// initialiser, which the grader, the lesson runner, `selfsup run`, the REPL's `:load`
/// and the Jupyter kernel all go through.
///
/// - `todo`, where the learner's work goes;
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

    /// Every exercise builtin, each defined once.
    public static var all: [NativeFunction] { [todo, GraderExpectations.expectEqual, GraderExpectations.expectShape] }

    /// Adds the exercise builtins to the session's builtin layer, each unless the host
    /// already has one of that name.
    public static func install(in interpreter: Interpreter) {
        for function in all where interpreter.builtins.lookup(function.name) == nil {
            interpreter.register(function)
        }
    }
}
