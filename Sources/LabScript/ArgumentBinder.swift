import LabSupport
/// Matches a call's positional and named arguments to parameters. Used for script
/// functions, native functions and host methods alike, so every call reports problems the
/// same way.
///
/// Positional arguments fill parameters in order; a variadic parameter takes all the
/// remaining positional ones; named arguments match by name (never a variadic parameter).
/// Unfilled parameters take their defaults; a required one left unfilled is an error.
enum ArgumentBinder {
    static func bind(functionName: String, parameters: [Parameter],
                     positional: [(Value, SourceRange?)], named: [(String, Value, SourceRange?)],
                     callRange: SourceRange?) throws -> BoundArguments {
        var bound = BoundArguments(functionName: functionName, parameters: parameters, callRange: callRange)
        var filled = Array(repeating: false, count: parameters.count)
        let variadicIndex = parameters.firstIndex(where: \.isVariadic)
        let positionalSlots = variadicIndex ?? parameters.count
        for (offset, (value, range)) in positional.enumerated() {
            if offset < positionalSlots {
                bound.set(offset, value, range)
                filled[offset] = true
            } else if variadicIndex != nil {
                bound.appendVariadic(value, range)
            } else {
                let values = ["function": functionName, "count": String(positionalSlots), "given": String(positional.count)]
                throw RuntimeError(.argument, positionalSlots == 1
                    ? Messages.text("{function}() takes 1 positional argument but {given} were given", values)
                    : Messages.text("{function}() takes {count} positional arguments but {given} were given", values),
                                   at: range ?? callRange)
            }
        }
        for (name, value, range) in named {
            guard let index = parameters.firstIndex(where: { $0.name == name }) else {
                throw RuntimeError(.argument, Suggestions.message(for: name, in: parameters.filter { !$0.isVariadic }.map(\.name),
                    plain: { Messages.text("{function}() has no parameter named '{name}'", ["function": functionName, "name": name]) },
                    suggesting: { Messages.text("{function}() has no parameter named '{name}'; did you mean '{suggestion}'?",
                                                ["function": functionName, "name": name, "suggestion": $0]) }),
                                   at: range ?? callRange)
            }
            if parameters[index].isVariadic {
                throw RuntimeError(.argument, Messages.text("{function}(): '{name}' collects positional arguments and cannot be passed by name",
                                                            ["function": functionName, "name": name]),
                                   at: range ?? callRange)
            }
            if filled[index] {
                throw RuntimeError(.argument, Messages.text("{function}(): argument '{name}' is given twice",
                                                            ["function": functionName, "name": name]), at: range ?? callRange)
            }
            bound.set(index, value, range)
            filled[index] = true
        }
        for (index, parameter) in parameters.enumerated() where parameter.isRequired && !filled[index] {
            throw RuntimeError(.argument, Messages.text("{function}() is missing argument '{name}'",
                                                        ["function": functionName, "name": parameter.name]), at: callRange)
        }
        // Counts are bounded here, before the function runs (other types are its to check).
        for (index, parameter) in parameters.enumerated() where parameter.countRange != nil && filled[index] {
            if case .number = bound.values[index] { _ = try bound.count(parameter.name) }
        }
        return bound
    }
}
