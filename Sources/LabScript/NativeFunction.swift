/// One parameter of a function: a name, an optional default, or variadic (collects the
/// remaining positional arguments; parameters after it can only be passed by name).
public struct Parameter {
    public var name: String
    /// nil means the argument is required. Use `.nilValue` for "optional, defaults to nil".
    public var defaultValue: Value?
    public var isVariadic: Bool
    /// One line for `help`, e.g. "temperature τ dividing the similarities".
    public var documentation: String
    /// The strings the argument may be, when it is one of a fixed set (tab completion
    /// offers them inside the argument's string, e.g. `train(…, method: "by⇥`).
    public var choices: [String]
    /// For a count (a size, a number of epochs, seeds, draws, clusters, …): the whole
    /// numbers it may be. The binder refuses a number outside it at the argument, before
    /// the builtin runs, so no count a script passes can size memory or work past it.
    public var countRange: ClosedRange<Int>?

    public init(_ name: String, default defaultValue: Value? = nil, documentation: String = "", choices: [String] = []) {
        self.name = name
        self.defaultValue = defaultValue
        self.isVariadic = false
        self.documentation = documentation
        self.choices = choices
    }

    /// A count parameter: a whole number in `range` (see `countRange`).
    public static func count(_ name: String, default defaultValue: Value? = nil, in range: ClosedRange<Int>,
                             documentation: String = "") -> Parameter {
        var parameter = Parameter(name, default: defaultValue, documentation: documentation)
        parameter.countRange = range
        return parameter
    }

    /// A parameter collecting all remaining positional arguments (`randn(3, 2)`).
    public static func variadic(_ name: String, documentation: String = "") -> Parameter {
        var parameter = Parameter(name, documentation: documentation)
        parameter.isVariadic = true
        return parameter
    }

    public var isRequired: Bool { defaultValue == nil && !isVariadic }

    /// `name`, `name = default` or `name...`.
    public var signatureText: String {
        if isVariadic { return "\(name)..." }
        if let defaultValue { return "\(name) = \(defaultValue.description)" }
        return name
    }
}

/// A function implemented in Swift, together with its registry entry: name, parameters,
/// documentation, a runnable example and the lesson that introduces it. A host adds a
/// builtin by making one of these and passing it to `Interpreter.register(_:)`; `help`,
/// tab completion and generated docs can all read the same value.
///
///     interpreter.register(NativeFunction(
///         name: "clamp", parameters: [Parameter("x"), Parameter("low", default: .number(0))],
///         summary: "x limited to at least low.", example: "print(clamp(-2))  # 0"
///     ) { args, context in .number(max(try args.number("x"), try args.number("low"))) })
public struct NativeFunction {
    public var name: String
    public var parameters: [Parameter]
    public var summary: String
    public var details: String
    /// A script that runs without error and shows the function in use.
    public var example: String
    /// The number of the lesson that introduces the function, if any (its title comes
    /// from the lesson file: `LessonTitles` in LabBuiltins).
    public var lesson: Int?
    /// Whether a host object may offer it as a method of its first argument: `x.name(…)`
    /// meaning `name(x, …)` (LabBuiltins' tensors do).
    public var isMethod = false
    public var implementation: (BoundArguments, CallContext) throws -> Value
    /// Set on a restricted native that untrusted code read (`Interpreter.guardRestricted`):
    /// every call is refused with this error, before its arguments are bound.
    var refusal: RuntimeError?

    public init(name: String, parameters: [Parameter], summary: String, details: String = "",
                example: String = "", lesson: Int? = nil,
                implementation: @escaping (BoundArguments, CallContext) throws -> Value) {
        self.name = name
        self.parameters = parameters
        self.summary = summary
        self.details = details
        self.example = example
        self.lesson = lesson
        self.implementation = implementation
    }

    /// `name(a, b, temperature = 0.5)`.
    public var signature: String {
        "\(name)(" + parameters.map(\.signatureText).joined(separator: ", ") + ")"
    }
}
