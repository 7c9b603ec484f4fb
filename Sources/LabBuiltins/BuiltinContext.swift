import Display
import LabScript
import RunSupport
import TensorCore

/// The builtin layer of a session: an interpreter with every entry of the registry
/// installed, the state those builtins share (`BuiltinState`: generator, seed, display,
/// sinks), the element limit and cancellation bound around each run, and help and docs
/// read from the registry.
///
/// It is not the session the front ends use: that is `ScriptSession` (module Notebook),
/// which makes one of these, adds the exercise builtins and the session options (seed,
/// `quick`, display) in one place, and is what the REPL, the lesson runner, `selfsup run`,
/// the grader and the Jupyter kernel are built from. LabBuiltins' own tests run scripts in
/// a bare `BuiltinContext`, the smallest thing that has every numerical builtin.
///
///     let context = BuiltinContext(output: BufferOutputSink())
///     switch context.run(text, name: "test.lab") { … }
///     context.interpreter.cancellation.cancel()                      // from another thread
public final class BuiltinContext {
    public let interpreter: Interpreter
    public let state: BuiltinState
    public private(set) var registry: BuiltinRegistry

    public init(output: any OutputSink = StandardOutputSink(), seed: UInt64 = BuiltinState.defaultSeed,
                display: DisplaySettings = DisplaySettings(), limits: InterpreterLimits = InterpreterLimits(),
                cancellation: CancellationFlag = CancellationFlag(), languageOnly: Bool = false) {
        interpreter = Interpreter(output: output, limits: limits, cancellation: cancellation)
        state = BuiltinState(seed: seed, display: display)
        // `languageOnly`: the registry is empty, so the interpreter has the language's own
        // builtins only (print, len, expect, …; tests of the notebook that need no tensors).
        registry = languageOnly ? BuiltinRegistry(groups: [])
            : BuiltinRegistry.standard(state: state, languageBuiltins: interpreter.registeredFunctions)
        state.registry = registry
        for group in registry.groups {
            for entry in group.entries { interpreter.register(entry) }
        }
        // The one element limit: every tensor op of a run checks it (TensorCore.ElementLimit);
        // long native work polls the run's cancellation flag (a time limit, Ctrl-C).
        let flag = interpreter.cancellation
        interpreter.aroundRun = { limits, run in
            RunContext.with(maxElements: limits.maxElements, isCancelled: { flag.isCancelled }) { run() }
        }
    }

    // MARK: settings

    public var output: any OutputSink {
        get { interpreter.output }
        set { interpreter.output = newValue }
    }

    public var cancellation: CancellationFlag { interpreter.cancellation }

    public var display: DisplaySettings {
        get { state.display }
        set { state.display = newValue }
    }

    /// The seed of the session generator (the default, or the last `seed(n)` / `:seed n`).
    public var seed: UInt64 { state.seed }

    /// Restarts the session generator from `seed`.
    public func reseed(_ seed: UInt64) { state.reseed(seed) }

    // MARK: running

    /// Runs a whole file (parse errors are all reported and nothing runs).
    public func run(_ text: String, name: String) -> RunResult {
        interpreter.run(text, name: name)
    }

    /// Runs one REPL input in the session's globals; see `REPLReply`.
    public func runLine(_ text: String, name: String = "<repl>") -> REPLReply {
        switch interpreter.runREPL(text, name: name) {
        case .incomplete:
            return .incomplete
        case .failure(let diagnostics):
            return .failure(diagnostics, rendered: renderer.render(diagnostics))
        case .success(let value):
            guard let value, !value.isNil else { return .success(echo: nil) }
            return .success(echo: value.description)
        }
    }

    /// How diagnostics are rendered in this session (colour when the display has it).
    public var renderer: DiagnosticRenderer { DiagnosticRenderer(color: display.color) }

    // MARK: help, completion, docs

    /// `help(name)` text: signature, summary, details, parameters, example and lesson (also
    /// for a tensor method written `tensor.sum`); for an unknown name, a "did you mean" line.
    /// An empty name gives the overview of all builtins. The `help` builtin prints this.
    public func help(_ name: String) -> String {
        documentation(for: name) ?? BuiltinDocumentation.unknown(name, in: registry)
    }

    /// The same text as `help(name)`, or nil when there is no such builtin (the REPL then
    /// makes its own suggestion).
    public func documentation(for name: String) -> String? {
        BuiltinDocumentation.help(name, in: registry, width: display.width)
    }

    /// `??word` / `:apropos word`: the builtins whose name or summary mentions `word`, names
    /// first, one line each at the display's width (`BuiltinDocumentation.apropos`).
    public func apropos(_ word: String) -> String {
        BuiltinDocumentation.aproposText(word, in: registry, width: display.width)
    }

    /// Markdown documentation of every builtin (`selfsup docs`).
    public func docsMarkdown() -> String { BuiltinDocumentation.markdown(registry) }

    /// Adds a group of builtins defined outside LabBuiltins (the notebook's exercise
    /// builtins: `todo`, `check`, …) to the registry, so that they dispatch, complete and
    /// have `help` and `selfsup docs` entries like any other. A group of the same title is
    /// replaced, so adding it again changes nothing.
    public func addGroup(_ group: BuiltinGroup) {
        let others = registry.groups.filter { $0.title != group.title }
        registry = BuiltinRegistry(groups: others + [group])
        state.registry = registry
        for entry in group.entries { interpreter.register(entry) }
    }
}

/// The outcome of one REPL input.
public enum REPLReply {
    /// It ran; `echo` is the value of a final expression as the REPL shows it (nil after a
    /// statement, or when the value is nil). Printed output went to the session's sink.
    case success(echo: String?)
    /// A syntax or runtime error, with the diagnostics rendered (ending in a newline).
    case failure([Diagnostic], rendered: String)
    /// The input stops inside an open bracket, brace or string: read another line.
    case incomplete
}
