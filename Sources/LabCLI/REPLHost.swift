import Foundation
import LabScript
import LabSupport
import LineEditor
import Notebook

/// What the REPL needs from a session: the interpreter and the services around it (help,
/// apropos, reseeding, `:lesson`, `:load` of an exercise). Not a session itself but the
/// REPL's view of one: the REPL and the Jupyter kernel build it from a `ScriptSession`
/// (`REPLHost(session:)`); tests may build one with plain closures.
public final class REPLHost {
    public let interpreter: Interpreter
    /// Documentation of a builtin, or nil if there is no such builtin.
    public var help: (String) -> String? = { _ in nil }
    /// `??word` / `:apropos word`: the builtins whose name or summary mentions the word.
    public var apropos: (String) -> String = { _ in "" }
    /// Shows text longer than the screen through a pager and returns true; false when it
    /// did not, and the REPL writes the text. Set only for an interactive REPL whose output
    /// is a terminal.
    public var pager: ((String) -> Bool)?
    /// Every builtin name, for suggestions and completion.
    public var builtinNames: [String] { interpreter.registeredFunctions.map(\.name) }
    /// Resets the session's random generator.
    public var reseed: (UInt64) -> Void = { _ in }
    /// `:lesson [N]`: lists the lessons, or runs one in a scope of its own (a fresh layer
    /// over the builtins, so it neither sees nor changes the learner's variables) and
    /// returns that scope; nil when no lesson ran.
    public var lesson: (String, @escaping (String) -> Void) -> Scope? = { _, write in
        write(Messages.text("lessons are not available in this session") + "\n")
        return nil
    }
    /// `:load FILE` of an exercise file: runs its cells in the given scope (tests as the
    /// grader runs them) and returns true; false when the text is no exercise, which then
    /// runs as a script.
    public var loadExercise: (_ text: String, _ file: String, Scope, @escaping (String) -> Void) -> Bool = { _, _, _, _ in
        false
    }
    /// The exercise cells this session ran (`:load` of an exercise file, kernel cells
    /// with an exercise marker line), which `check()` grades; nil when it has none.
    public var exercise: ExerciseCells?
    /// Whether diagnostics are coloured.
    public var colour = false
    /// The terminal's columns, to which `:help` wraps its rows.
    public var width = 80
    /// The REPL's scope of learner variables (for completion and `:vars`).
    public internal(set) var currentScope: Scope?

    public init(interpreter: Interpreter) {
        self.interpreter = interpreter
    }

    /// The text the REPL echoes for a value.
    public func describe(_ value: Value) -> String {
        value.displayString
    }

    /// `type  shape` for `:vars`.
    public func summary(of value: Value) -> String {
        switch value {
        case .host(let object):
            let context = CallContext(interpreter: interpreter, range: nil, functionName: ":vars")
            if let shape = try? object.field("shape", context: context) {
                return "\(object.typeName)  \(shape.displayString)"
            }
            return object.typeName
        case .list(let items):
            return "list  " + Messages.text("({count} items)", ["count": String(items.count)])
        case .string(let text):
            return "string  " + Messages.text("({count} characters)", ["count": String(text.count)])
        case .number, .bool:
            return "\(value.typeName)  \(value.displayString)"
        default:
            return value.typeName
        }
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        DiagnosticRenderer(color: colour).render(diagnostic)
    }

    /// Runs `body` so that Ctrl-C (SIGINT) cancels it: a watcher thread raises the
    /// interpreter's cancellation flag when an interrupt arrives; the flag is cleared after.
    public func withInterruptsCancelling<T>(_ body: () -> T) -> T {
        REPLHost.cancellingOnInterrupt(interpreter, body)
    }

    /// Runs `body` so that Ctrl-C cancels the interpreter's work (see `withInterruptsCancelling`).
    public static func cancellingOnInterrupt<T>(_ interpreter: Interpreter, _ body: () -> T) -> T {
        Interrupts.install()
        let flag = interpreter.cancellation
        flag.reset()
        let watcher = InterruptWatcher(flag: flag)
        watcher.start()
        defer {
            watcher.stop()
            flag.reset()
        }
        return body()
    }
}

/// Polls the SIGINT counter every 20 ms while a computation runs.
final class InterruptWatcher: @unchecked Sendable {
    private let flag: CancellationFlag
    private let lock = NSLock()
    private var running = true
    private let baseline = Interrupts.count

    init(flag: CancellationFlag) { self.flag = flag }

    func start() {
        let thread = Thread { [self] in
            while isRunning {
                if Interrupts.count != baseline { flag.cancel() }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        thread.start()
    }

    private var isRunning: Bool {
        lock.lock(); defer { lock.unlock() }
        return running
    }

    func stop() {
        lock.lock(); running = false; lock.unlock()
    }
}
