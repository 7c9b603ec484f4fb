import LabBuiltins
import LabScript

extension ScriptSession {
    /// A session with every builtin of the project (what the CLI uses): a LabBuiltins
    /// `BuiltinContext` at its default seed, plus `todo`.
    public static func standard(output: any OutputSink, cancellation: CancellationFlag) -> ScriptSession {
        let context = BuiltinContext(output: output, cancellation: cancellation)
        ExerciseBuiltins.install(in: context.interpreter)
        return ScriptSession(interpreter: context.interpreter, reseed: { [unowned context] seed in context.reseed(seed) },
                             owner: context)
    }
}
