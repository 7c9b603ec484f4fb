/// Which side of a binary operator the host object is on: in `2 * t`, `t` is on the right.
public enum OperandSide: Sendable {
    case left, right
}

/// An opaque object supplied by the host (LabBuiltins): a tensor, a model, an optimiser, a
/// data set. The interpreter knows nothing about it except through these requirements.
///
/// Every requirement but `typeName` has a default meaning "not supported", which the
/// interpreter turns into a clear type error at the script's source location. An
/// implementation may throw any Swift error; it becomes a runtime diagnostic at the call.
///
/// - Fields and methods: `x.name` first asks `field(_:context:)`, then `method(_:)` (which
///   yields a bound `NativeFunction`); `x.name(args)` calls the method with the same
///   argument binding as any function (named arguments, defaults, "did you mean").
/// - `x.T` is a field like any other (a tensor's transpose is its host's business); only
///   lists of lists have a `.T` of the language's own.
/// - Operators: for `a op b` the interpreter asks the left operand if it is a host object,
///   else the right one, passing which side the host is on. `nil` means "unsupported".
///   `==`/`!=` fall back to identity when the host returns nil.
/// - Indexing: `x[0, :, 1:3, ::2]` passes one `IndexComponent` per comma-separated part.
/// - Calling: a host object whose `method("call")` is non-nil can be called like a
///   function, `model(x)` (LabBuiltins' models use this).
public protocol HostObject: AnyObject {
    /// Type name shown by `type(x)` and in error messages, e.g. "tensor".
    var typeName: String { get }
    /// Text shown by `print(x)`, `str(x)` and the REPL.
    var scriptDescription: String { get }
    /// Names of fields and methods (for "did you mean" and tab completion).
    var memberNames: [String] { get }

    /// The value of field `name`, or nil if there is no such field.
    func field(_ name: String, context: CallContext) throws -> Value?
    /// A method bound to this object, or nil if there is no such method.
    func method(_ name: String) -> NativeFunction?
    /// `self op other` (side `.left`) or `other op self` (side `.right`); nil if unsupported.
    func binaryOperation(_ op: BinaryOperator, other: Value, side: OperandSide, context: CallContext) throws -> Value?
    /// `-self`; nil if unsupported.
    func negated(context: CallContext) throws -> Value?
    /// `self[components]`; nil if the object cannot be indexed.
    func index(_ components: [IndexComponent], context: CallContext) throws -> Value?
    /// `self.name = value`; false if the object has no settable field `name`.
    func setField(_ name: String, to value: Value, context: CallContext) throws -> Bool
    /// `self[components] = value`; false if the object does not support index assignment.
    func setIndex(_ components: [IndexComponent], to value: Value, context: CallContext) throws -> Bool
    /// Largest absolute elementwise difference to `other` (for `expect_close`); nil if
    /// the two cannot be compared.
    func maxAbsoluteDifference(to other: Value, context: CallContext) throws -> Double?
    /// The same value with storage of its own, for a grading test (`Value.isolatedCopy`):
    /// what one test, or learner code it calls, does to its copy in place no other test
    /// sees. nil: the object is handed on as it is (models and optimisers, whose identity
    /// links them to each other).
    func isolatedCopy() -> (any HostObject)?
}

extension HostObject {
    public var memberNames: [String] { [] }
    public func field(_ name: String, context: CallContext) throws -> Value? { nil }
    public func method(_ name: String) -> NativeFunction? { nil }
    public func binaryOperation(_ op: BinaryOperator, other: Value, side: OperandSide, context: CallContext) throws -> Value? { nil }
    public func negated(context: CallContext) throws -> Value? { nil }
    public func index(_ components: [IndexComponent], context: CallContext) throws -> Value? { nil }
    public func setField(_ name: String, to value: Value, context: CallContext) throws -> Bool { false }
    public func setIndex(_ components: [IndexComponent], to value: Value, context: CallContext) throws -> Bool { false }
    public func maxAbsoluteDifference(to other: Value, context: CallContext) throws -> Double? { nil }
    public func isolatedCopy() -> (any HostObject)? { nil }
}
