/// A problem to show the learner: a syntax error or a runtime error, with the source range
/// it is about and, for runtime errors, the script call stack (innermost first).
public struct Diagnostic: Error, Sendable {
    public enum Kind: Sendable, Equatable {
        case syntax
        case runtime(RuntimeError.Kind)
    }

    public var kind: Kind
    public var message: String
    public var range: SourceRange
    /// Script functions that were running, innermost first.
    public var callStack: [StackFrame] = []

    public init(kind: Kind, message: String, range: SourceRange, callStack: [StackFrame] = []) {
        self.kind = kind
        self.message = message
        self.range = range
        self.callStack = callStack
    }

    /// 1-based line and column of the start of the range.
    public var line: Int { range.file.location(of: range.start).line }
    public var column: Int { range.file.location(of: range.start).column }

    /// The diagnostic rendered as text (see `DiagnosticRenderer`).
    public var rendered: String { DiagnosticRenderer().render(self) }
}

/// One active call of a script function: its name and where it was called from.
public struct StackFrame: Sendable {
    public var function: String
    public var callSite: SourceRange
}

/// Errors a host (native function, host object) may throw to control the message shown.
/// Any other Swift error is shown through `CustomStringConvertible` / `String(describing:)`.
public protocol ScriptReportableError: Error {
    var scriptMessage: String { get }
}
