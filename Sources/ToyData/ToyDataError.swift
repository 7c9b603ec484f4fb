import TensorCore

/// An error a script (or a damaged installation) can cause through the toy data sets.
public enum ToyDataError: Error, Equatable, CustomStringConvertible {
    /// A bundled resource file could not be found.
    case resourceMissing(name: String)
    /// A bundled resource file exists but does not have the expected format.
    case malformedResource(name: String, line: Int, message: String)
    /// An argument out of its valid range (a count, a size, an index, a fraction).
    case invalidArgument(op: String, message: String)
    /// The same, as an English sentence with `{name}` placeholders and their values, shown
    /// through a host's message catalogue as `TensorError.argument` is.
    case argument(op: String, template: String, values: [String: String])

    public var description: String {
        switch self {
        case let .resourceMissing(name):
            return "data set resource '\(name)' is missing from the ToyData bundle"
        case let .malformedResource(name, line, message):
            return "data set resource '\(name)', line \(line): \(message)"
        case let .invalidArgument(op, message):
            return "\(op): \(message)"
        case let .argument(op, template, values):
            return "\(op): \(TensorError.fill(template, values))"
        }
    }
}
