/// A runtime failure. Each kind is one way a script can go wrong while running; the
/// message says what and, where it can, how to fix it. Hosts may throw these directly
/// (set `range` to point at something specific) or throw any Swift error.
public struct RuntimeError: Error, Sendable {
    public enum Kind: String, Sendable {
        /// A name that is not defined.
        case undefinedName
        /// An operand or argument of the wrong type (`"a" - 1`).
        case type
        /// Wrong arguments: missing, unknown name, too many, duplicate.
        case argument
        /// An index outside a list or string, or a non-integer index.
        case index
        /// A field that does not exist on a record or host object.
        case field
        /// Arithmetic with no answer: division by zero.
        case arithmetic
        /// Too many nested calls, or the native stack guard tripped.
        case recursionLimit
        /// A limit set by the host: steps, tensor element count, nesting.
        case limit
        /// The host's time limit (`InterpreterLimits.maxSeconds`) ran out.
        case timeLimit
        /// The cancellation flag was raised (Ctrl-C).
        case cancelled
        /// `expect` or `expect_close` failed.
        case expectationFailed
        /// An error thrown by a native function or host object.
        case host
    }

    public var kind: Kind
    public var message: String
    /// Where the error is; if nil, the interpreter uses the current call's range.
    public var range: SourceRange?
    /// Filled in by the interpreter as the error leaves script functions.
    public var callStack: [StackFrame] = []

    public init(_ kind: Kind, _ message: String, at range: SourceRange? = nil) {
        self.kind = kind
        self.message = message
        self.range = range
    }
}
