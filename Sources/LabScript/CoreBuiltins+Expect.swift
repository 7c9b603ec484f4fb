import LabSupport

/// `expect` and `expect_close`, used by lessons, exercises and the fixture tests. A failed
/// expectation is a runtime error of kind `expectationFailed` (so `selfsup run` exits 1).
extension CoreBuiltins {
    static var expectations: [NativeFunction] { [
        NativeFunction(
            name: "expect", parameters: [Parameter("condition"), Parameter("message", default: .string("expectation failed"))],
            summary: "Stops with an error showing `message` unless condition is true.",
            example: "expect(1 + 1 == 2, \"arithmetic works\")"
        ) { args, _ in
            if try args.bool("condition") { return .nilValue }
            throw RuntimeError(.expectationFailed, Messages.text("expect failed: {message}", ["message": try args.string("message")]))
        },
        NativeFunction(
            name: "expect_close", parameters: [Parameter("a"), Parameter("b"), Parameter("tol", default: .number(1e-6)),
                                               Parameter("message", default: .nilValue)],
            summary: "Stops with an error unless a and b differ by at most tol (elementwise for lists and tensors).",
            details: "Compares numbers, lists of numbers (same length), or host values such as tensors "
                + "(through HostObject.maxAbsoluteDifference). The check is |a - b| ≤ tol.",
            example: "expect_close(0.1 + 0.2, 0.3, tol: 1e-9)"
        ) { args, context in
            let tolerance = try args.number("tol")
            let difference = try maxDifference(args["a"], args["b"], context)
            guard let difference else {
                throw RuntimeError(.type, Messages.text("expect_close: cannot compare {a} with {b}",
                                                        ["a": args["a"].typeName, "b": args["b"].typeName]))
            }
            if difference <= tolerance { return .nilValue }
            let note = try args.optionalString("message").map { ": \($0)" } ?? ""
            throw RuntimeError(.expectationFailed,
                               "expect_close failed\(note): \(args["a"].description) and \(args["b"].description) differ by \(Value.format(difference)), more than tol \(Value.format(tolerance))")
        },
    ] }

    /// max |a - b| over elements; nil if the values are not comparable. NaN compares as
    /// infinitely far from anything.
    static func maxDifference(_ a: Value, _ b: Value, _ context: CallContext) throws -> Double? {
        switch (a, b) {
        case let (.number(x), .number(y)):
            let difference = abs(x - y)
            if x == y { return 0 }
            return difference.isNaN ? .infinity : difference
        case let (.list(xs), .list(ys)):
            guard xs.count == ys.count else { return nil }
            var worst = 0.0
            for (x, y) in zip(xs, ys) {
                guard let difference = try maxDifference(x, y, context) else { return nil }
                worst = max(worst, difference)
            }
            return worst
        case (.host(let object), _):
            return try object.maxAbsoluteDifference(to: b, context: context)
        case (_, .host(let object)):
            return try object.maxAbsoluteDifference(to: a, context: context)
        default:
            return nil
        }
    }
}
