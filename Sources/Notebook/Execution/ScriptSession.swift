import Display
import LabScript

/// One interpreter with its builtins installed: what cells and grader tests run in. Making
/// a session installs the exercise builtins (`ExerciseBuiltins`), the one place that does.
///
/// The notebook does not build interpreters itself; a `ScriptSession.Factory` does, so the
/// same executor and grader run with every LabBuiltins builtin (`standard`, what the CLI
/// uses) or with the language's own builtins only (`languageOnly`, for tests that need no
/// tensors). `reseed` restarts the session's random generator: the grader calls it before
/// every test, so a test sees the same random numbers whatever the learner's code drew.
public final class ScriptSession {
    public let interpreter: Interpreter
    /// Restarts the session generator from a seed; `nil` when the session has none.
    public let reseed: ((UInt64) -> Void)?
    /// Where the session's `show` draws; `nil` when the session has no figures.
    public let figures: FigureSinkHook?
    /// What must live as long as the session (e.g. the LabBuiltins context owning the registry).
    public let owner: AnyObject?

    public init(interpreter: Interpreter, reseed: ((UInt64) -> Void)? = nil, figures: FigureSinkHook? = nil,
                owner: AnyObject? = nil) {
        self.interpreter = interpreter
        self.reseed = reseed
        self.figures = figures
        self.owner = owner
        ExerciseBuiltins.install(in: interpreter)
    }

    /// Makes a session writing to `output`, stopped early by `cancellation`.
    public typealias Factory = (_ output: any OutputSink, _ cancellation: CancellationFlag) -> ScriptSession

    /// The language's builtins only (print, len, expect, …): no tensors.
    public static func languageOnly(output: any OutputSink, cancellation: CancellationFlag) -> ScriptSession {
        ScriptSession(interpreter: Interpreter(output: output, cancellation: cancellation))
    }
}

/// How the code runner collects what a session's `show` draws without knowing what kind
/// of session it is: while a cell runs, the runner swaps in a sink that turns each chart
/// into a figure of the cell, and swaps the old one back afterwards.
public struct FigureSinkHook {
    /// The terminal the session draws for (a figure's terminal text).
    public var terminal: () -> TerminalCapabilities
    /// Makes `show` send charts to `sink` (nil: print them) and returns the sink it replaced.
    public var swap: (_ sink: ((Chart) -> Void)?) -> ((Chart) -> Void)?

    public init(terminal: @escaping () -> TerminalCapabilities,
                swap: @escaping (_ sink: ((Chart) -> Void)?) -> ((Chart) -> Void)?) {
        self.terminal = terminal
        self.swap = swap
    }
}
