import LabSupport

/// The outcome of running a program or a REPL input.
public enum RunResult {
    /// Ran to the end. In REPL mode the value of a final expression statement (for echoing;
    /// `nil` after a statement that is not an expression).
    case success(Value?)
    /// Syntax errors (all that were found) or the runtime error that stopped the run.
    case failure([Diagnostic])
    /// REPL mode only: the input ends inside an open bracket or string; read more lines.
    case incomplete
}

/// A tree-walking interpreter with a persistent global environment.
///
/// Scopes are layered: `builtins` (protected; language builtins plus whatever the host
/// registers) under `globals` (the program's or REPL session's names). `run` executes a
/// whole file; `runREPL` executes one input in the same globals and returns the value of a
/// final expression. Both accept another scope to run in, e.g. `makeScope()` for a fresh
/// layer over the builtins, which is how a grader keeps learner code from rebinding the
/// names its checks use.
public final class Interpreter {
    public let builtins: Scope
    public let globals: Scope
    public var output: any OutputSink
    public var limits: InterpreterLimits
    public let cancellation: CancellationFlag
    /// Native functions (by name, with the reason) that code from an untrusted source
    /// file may not call, nor hand to trusted code. Two checks hold it: a call from an
    /// untrusted line is refused where every native is entered (`callNative`), and a
    /// restricted native that untrusted code reads (a name, a record field, a method such
    /// as `loss.backward`) becomes a function that refuses wherever it is called
    /// (`guardRestricted`), so an alias, a list, a record or a closure's capture cannot
    /// carry it to a test. A method `tensor.backward` counts as `backward`. The value is the
    /// whole message of the refusal, e.g. "len is not available in this exercise: …".
    public var restrictedNames: [String: String] = [:]
    /// Wraps every top-level run (on the run's own thread): a host binds its per-run
    /// settings here, e.g. LabBuiltins binds the tensor element limit to `limits.maxElements`.
    public var aroundRun: ((_ limits: InterpreterLimits, _ run: () -> Void) -> Void)?

    var callDepth = 0
    /// The value of the expression statement executed last (see `callScript`).
    var lastStatementValue: Value = .nilValue
    /// Functions already warned about ending in a discarded value (once each).
    var warnedDiscardedEndings: Set<ObjectIdentifier> = []
    var activeRuns = 0
    var steps = 0
    var stackBase: UInt = 0
    var startTime = ContinuousClock.now

    public init(output: any OutputSink = StandardOutputSink(), limits: InterpreterLimits = InterpreterLimits(),
                cancellation: CancellationFlag = CancellationFlag()) {
        self.output = output
        self.limits = limits
        self.cancellation = cancellation
        self.builtins = Scope(parent: nil, isProtected: true)
        self.globals = Scope(parent: builtins)
        for function in CoreBuiltins.all { register(function) }
        builtins.define("pi", .number(Double.pi))
        builtins.define("inf", .number(Double.infinity))
    }

    /// Adds (or replaces) a builtin function in the protected builtin layer.
    public func register(_ function: NativeFunction) {
        builtins.define(function.name, .native(function))
    }

    /// Adds (or replaces) a builtin value (a constant, a host object) in the builtin layer.
    public func defineBuiltin(_ name: String, _ value: Value) {
        builtins.define(name, value)
    }

    /// Every registered native function, sorted by name (for help, completion and docs).
    public var registeredFunctions: [NativeFunction] {
        builtins.variables.values.compactMap { value -> NativeFunction? in
            if case .native(let function) = value { return function }
            return nil
        }.sorted { $0.name < $1.name }
    }

    /// A fresh scope layered over `base` (default: the builtins).
    public func makeScope(over base: Scope? = nil) -> Scope {
        Scope(parent: base ?? builtins)
    }

    /// Runs a whole program (file mode). Parse errors are all reported and nothing runs.
    public func run(_ text: String, name: String, in scope: Scope? = nil, untrusted: Bool = false) -> RunResult {
        withRun {
            let parsed = Parser.parse(SourceFile(name: name, text: text, isUntrusted: untrusted))
            if !parsed.diagnostics.isEmpty { return .failure(parsed.diagnostics) }
            return executeOnCurrentThread(parsed.statements, in: scope ?? globals, echo: false)
        }
    }

    /// Runs one REPL input in a persistent scope (default: `globals`). Returns
    /// `.incomplete` when the parser says the input stops inside an open construct.
    public func runREPL(_ text: String, name: String = "<repl>", in scope: Scope? = nil) -> RunResult {
        withRun {
            let parsed = Parser.parse(SourceFile(name: name, text: text))
            if parsed.isIncomplete { return .incomplete }
            if !parsed.diagnostics.isEmpty { return .failure(parsed.diagnostics) }
            return executeOnCurrentThread(parsed.statements, in: scope ?? globals, echo: true)
        }
    }

    /// Runs parsed statements; with `echo`, a final expression statement's value is returned.
    public func execute(_ statements: [Stmt], in scope: Scope, echo: Bool) -> RunResult {
        withRun { executeOnCurrentThread(statements, in: scope, echo: echo) }
    }

    /// Runs `body` as (part of) a run: on a fresh large-stack thread when no run is active,
    /// directly when called from inside one (a host calling back into script code).
    func withRun<T>(_ body: () -> T) -> T {
        if activeRuns > 0 {
            activeRuns += 1
            defer { activeRuns -= 1 }
            return body()
        }
        return LargeStack.run(stackSize: limits.threadStackBytes) {
            beginRun()
            defer { endRun() }
            guard let aroundRun else { return body() }
            var result: T?
            aroundRun(limits) { result = body() }
            guard let result else { preconditionFailure("Interpreter.aroundRun did not call its run") }
            return result
        }
    }

    private func executeOnCurrentThread(_ statements: [Stmt], in scope: Scope, echo: Bool) -> RunResult {
        do {
            var last: Value?
            for (offset, statement) in statements.enumerated() {
                if echo && offset == statements.count - 1, case .expression(let expr) = statement.kind {
                    last = try withRange(statement.range) { try evaluate(expr, scope) }
                } else {
                    _ = try execute(statement, scope)
                }
                // A statement that finished although an interrupt came in (a builtin such as
                // `train` that hands back what it did so far) still ends the run there.
                if cancellation.isCancelled { throw RuntimeError(.cancelled, Messages.text("interrupted"), at: statement.range) }
            }
            return .success(last)
        } catch let error as RuntimeError {
            let fallback = statements.first?.range ?? SourceRange(file: SourceFile(name: "<unknown>", text: ""), start: 0, end: 0)
            return .failure([Diagnostic(kind: .runtime(error.kind), message: error.message,
                                        range: error.range ?? fallback, callStack: error.callStack)])
        } catch {
            let fallback = statements.first?.range ?? SourceRange(file: SourceFile(name: "<unknown>", text: ""), start: 0, end: 0)
            return .failure([Diagnostic(kind: .runtime(.host), message: String(describing: error), range: fallback)])
        }
    }

    // MARK: run bookkeeping and limits

    func beginRun() {
        cancellation.reset()
        steps = 0
        callDepth = 0
        startTime = ContinuousClock.now
        stackBase = Interpreter.stackAddress()
        activeRuns += 1
    }

    func endRun() {
        activeRuns -= 1
    }

    @inline(never)
    static func stackAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }

    /// Throws if the native stack has grown past `limits.maxStackBytes` since the run began.
    func checkStack(_ range: SourceRange) throws {
        let here = Interpreter.stackAddress()
        let used = stackBase > here ? stackBase - here : here - stackBase
        if used > UInt(limits.maxStackBytes) {
            throw RuntimeError(.recursionLimit, Messages.text("recursion too deep (the interpreter's stack limit was reached)"), at: range)
        }
    }

    /// Throws when Ctrl-C was pressed.
    public func checkCancellation() throws {
        if cancellation.isCancelled { throw RuntimeError(.cancelled, Messages.text("interrupted")) }
    }

    /// Called at every loop iteration and every call: cancellation, step and time limits.
    func tick(_ range: SourceRange) throws {
        steps &+= 1
        if cancellation.isCancelled { throw RuntimeError(.cancelled, Messages.text("interrupted"), at: range) }
        if let maxSteps = limits.maxSteps, steps > maxSteps {
            throw RuntimeError(.limit, Messages.text("step limit reached ({count} loop iterations and calls)", ["count": String(maxSteps)]), at: range)
        }
        if let maxSeconds = limits.maxSeconds, steps & 1023 == 0 {
            let elapsed = ContinuousClock.now - startTime
            if elapsed > .milliseconds(Int64(maxSeconds * 1000)) {
                throw RuntimeError(.timeLimit, Messages.text("time limit reached ({seconds} s)", ["seconds": Value.format(maxSeconds)]), at: range)
            }
        }
    }

    /// Runs `body`, giving any range-less runtime error the given range.
    func withRange<T>(_ range: SourceRange, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as RuntimeError where error.range == nil {
            error.range = range
            throw error
        }
    }

    /// Throws if `value`, about to be stored inside a list or record, nests too deeply.
    func checkNesting(_ value: Value, _ range: SourceRange?) throws {
        switch value {
        case .list, .record:
            if value.nestingDepth(limit: limits.maxValueNesting) >= limits.maxValueNesting {
                throw RuntimeError(.limit, Messages.text("lists and records nested more than {limit} deep", ["limit": String(limits.maxValueNesting)]),
                                   at: range)
            }
        default:
            return
        }
    }

    /// What `checkSize` measures, each with its own whole sentence.
    enum SizedValue { case list, string, rangeSlice }

    /// Throws if a list or string of `count` items would exceed `limits.maxElements`.
    func checkSize(_ count: Int, _ what: SizedValue, _ range: SourceRange?) throws {
        if count > limits.maxElements {
            let values = ["count": String(count), "limit": String(limits.maxElements)]
            let message = switch what {
            case .list: Messages.text("list of {count} items is more than the limit of {limit}", values)
            case .string: Messages.text("string of {count} items is more than the limit of {limit}", values)
            case .rangeSlice: Messages.text("range slice of {count} items is more than the limit of {limit}", values)
            }
            throw RuntimeError(.limit, message, at: range)
        }
    }

    func context(_ range: SourceRange?, _ name: String) -> CallContext {
        CallContext(interpreter: self, range: range, functionName: name)
    }
}
