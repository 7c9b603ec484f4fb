import LabBuiltins
import LabScript

extension ScriptSession {
    /// A session with every builtin of the project (what the CLI uses): a LabBuiltins
    /// `BuiltinContext` at its default seed, plus the exercise builtins.
    public static func standard(output: any OutputSink, cancellation: CancellationFlag) -> ScriptSession {
        ScriptSession(BuiltinContext(output: output, cancellation: cancellation))
    }

    /// A session over a LabBuiltins context: its interpreter, its generator and its figures.
    /// The exercise builtins become the registry's "Exercises" group (help, docs, completion).
    public convenience init(_ context: BuiltinContext) {
        let figures = FigureSinkHook(terminal: { [unowned context] in context.display.terminal },
                                     swap: { [unowned context] sink in
                                         let replaced = context.state.figureSink
                                         context.state.figureSink = sink
                                         return replaced
                                     })
        context.addGroup(BuiltinGroup("Exercises", ExerciseBuiltins.all))
        self.init(interpreter: context.interpreter, reseed: { [unowned context] seed in context.reseed(seed) },
                  figures: figures, owner: context)
    }
}
