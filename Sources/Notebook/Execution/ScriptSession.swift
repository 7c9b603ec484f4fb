import LabBuiltins
import LabScript

/// The one session: an interpreter with its builtins, what every front end runs LabScript
/// in. The REPL, `selfsup lesson` and `selfsup run`, the grader (a fresh session per
/// hand-in, `ScriptSession.Factory`) and the Jupyter kernel (one per notebook) are all
/// built from it, through its one initialiser, which is the one place that sets up a
/// session:
///
/// - the builtin layer (`context`, a LabBuiltins `BuiltinContext`: every entry of the
///   registry, the generator at `Options.seed`, the display), or the language's own
///   builtins only (`Options.languageOnly`, for tests that need no tensors);
/// - the exercise builtins (`ExerciseBuiltins`: `todo`, `check`, …) as the registry's
///   "Exercises" group, with help and docs like every builtin;
/// - the constant `quick` that lessons read, when the options give it.
///
///     let session = ScriptSession(.init(seed: 3, quick: true), output: StandardOutputSink())
///     switch session.context.run(text, name: "lesson.lab") { … }
///
/// `reseed` restarts the session's random generator: the grader calls it before every
/// test, so a test sees the same random numbers whatever the learner's code drew.
///
/// Not sessions, though they sit next to one: `BuiltinContext` is the builtin layer a
/// session owns; `BuiltinState` what the builtins of one session share; `CallContext`
/// (LabScript) is one call of a builtin (arguments' source ranges, the interpreter to
/// call back); `REPLHost` (LabCLI) is the REPL's view of a session.
public final class ScriptSession {
    /// How a session is made. The defaults are the grader's: the default seed, a plain
    /// display, no `quick`.
    public struct Options {
        /// The seed of the session's generator.
        public var seed: UInt64
        /// The constant `quick` that lessons read (`--quick`); nil defines no `quick`
        /// (the grader's sessions have none).
        public var quick: Bool?
        /// Colour and width of the terminal the session prints for.
        public var display: DisplaySettings
        public var limits: InterpreterLimits
        /// The language's own builtins only (print, len, expect, …) and the exercise
        /// builtins: no tensors. For tests of the notebook.
        public var languageOnly: Bool

        public init(seed: UInt64 = BuiltinState.defaultSeed, quick: Bool? = nil,
                    display: DisplaySettings = DisplaySettings(), limits: InterpreterLimits = InterpreterLimits(),
                    languageOnly: Bool = false) {
            self.seed = seed
            self.quick = quick
            self.display = display
            self.limits = limits
            self.languageOnly = languageOnly
        }
    }

    /// The builtin layer: registry, generator, display, help and docs.
    public let context: BuiltinContext

    /// Makes a session writing to `output`, stopped early by `cancellation`.
    public init(_ options: Options = Options(), output: any OutputSink = StandardOutputSink(),
                cancellation: CancellationFlag = CancellationFlag()) {
        context = BuiltinContext(output: output, seed: options.seed, display: options.display,
                                 limits: options.limits, cancellation: cancellation,
                                 languageOnly: options.languageOnly)
        if let quick = options.quick { context.interpreter.defineBuiltin("quick", .bool(quick)) }
        context.addGroup(BuiltinGroup("Exercises", ExerciseBuiltins.all))
    }

    public var interpreter: Interpreter { context.interpreter }

    /// Colour and width of the terminal the session prints for.
    public var display: DisplaySettings {
        get { context.display }
        set { context.display = newValue }
    }

    /// Restarts the session's generator from `seed`.
    public func reseed(_ seed: UInt64) { context.reseed(seed) }

    /// Makes a session writing to `output`, stopped early by `cancellation` (the grader
    /// makes one per hand-in, `check()` one per call).
    public typealias Factory = (_ output: any OutputSink, _ cancellation: CancellationFlag) -> ScriptSession

    /// A session with every builtin of the project at the default options (the grader's).
    public static func standard(output: any OutputSink, cancellation: CancellationFlag) -> ScriptSession {
        ScriptSession(output: output, cancellation: cancellation)
    }

    /// The language's builtins only (print, len, expect, …): no tensors.
    public static func languageOnly(output: any OutputSink, cancellation: CancellationFlag) -> ScriptSession {
        ScriptSession(Options(languageOnly: true), output: output, cancellation: cancellation)
    }
}
