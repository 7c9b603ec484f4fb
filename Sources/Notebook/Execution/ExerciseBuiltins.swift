import LabScript

/// Builtins every exercise session has.
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

    /// Adds `todo` to the session's builtin layer unless the host already has one.
    public static func install(in interpreter: Interpreter) {
        if interpreter.builtins.lookup(todo.name) == nil { interpreter.register(todo) }
    }
}
