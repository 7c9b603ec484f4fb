import LabSupport

/// What a native function or host object receives besides its arguments: the running
/// interpreter (output, limits, cancellation), the call's source range, and a way to call
/// back into script functions (e.g. `gradcheck(f, x)` calling the learner's `f`).
///
/// One call, not a session: it is made for each call and lives as long as it. What lives
/// as long as a session is the interpreter it points to, and around it Notebook's
/// `ScriptSession` (and LabBuiltins' `BuiltinState`, what one session's builtins share).
public struct CallContext {
    public let interpreter: Interpreter
    /// Source range of the call being served (nil when called from outside any script).
    public let range: SourceRange?
    /// Name of the function being served, for messages.
    public let functionName: String

    public init(interpreter: Interpreter, range: SourceRange?, functionName: String) {
        self.interpreter = interpreter
        self.range = range
        self.functionName = functionName
    }

    public var limits: InterpreterLimits { interpreter.limits }

    /// Writes text to the interpreter's output sink (no newline added).
    public func write(_ text: String) {
        interpreter.output.write(text)
    }

    /// Calls a LabScript or native function value with positional and named arguments.
    public func call(_ function: Value, _ positional: [Value], named: [(String, Value)] = []) throws -> Value {
        try interpreter.callValue(function, positional: positional.map { ($0, range) },
                                  named: named.map { ($0.0, $0.1, range) }, callRange: range)
    }

    /// Throws `RuntimeError(.cancelled)` if the user pressed Ctrl-C: for hosts of LabScript
    /// alone. Builtins with native work poll `TensorCore.OperationCancellation`, which
    /// `BuiltinContext` binds to this same flag.
    public func checkCancellation() throws {
        try interpreter.checkCancellation()
    }

    /// Throws a limit error if `count` elements exceed `limits.maxElements`. LabBuiltins
    /// calls this before allocating a tensor.
    public func checkElementCount(_ count: Int, operation: String) throws {
        if count > interpreter.limits.maxElements || count < 0 {
            throw RuntimeError(.limit, Messages.text("{function}: {count} elements is more than the limit of {limit}",
                ["function": operation, "count": String(count), "limit": String(interpreter.limits.maxElements)]))
        }
    }

    /// A host error at this call, e.g. `throw context.error("shapes [2, 3] and [4] do not match")`.
    public func error(_ message: String) -> RuntimeError {
        RuntimeError(.host, message, at: range)
    }
}
