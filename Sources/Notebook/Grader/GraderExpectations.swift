import Foundation
import LabScript
import LabSupport

/// The checks grader tests call, kept in the grader's protected layer (see `GraderScopes`).
/// A failed check is a runtime error of kind `expectationFailed` whose message says what
/// was wrong in numbers: for numbers, lists and tensors whether the shapes agree, the
/// largest difference, where it is and the two values there.
///
/// - `expect(condition, message)`: fails with `message` unless condition is true.
/// - `expect_close(actual, expected, tol = 1e-4, rtol = 0, message, broadcast = false)`:
///   elementwise |actual − expected| ≤ tol + rtol·|expected|. The shapes must be equal
///   (a number is shape `[]`, so `expect_close([], 3)` and `expect_close(zeros(4), 0)`
///   fail); with `broadcast: true` a number `expected` is compared with every element of a
///   non-empty `actual`.
/// - `expect_equal(actual, expected, message, broadcast = false)`: exact equality (numbers
///   and tensors elementwise, shapes as for `expect_close`; other values by value).
/// - `expect_shape(x, shape, message)`: the tensor's or nested list's shape.
enum GraderExpectations {
    static var all: [NativeFunction] { [expect, expectClose, expectEqual, expectShape] }

    static var expect: NativeFunction {
        NativeFunction(
            name: "expect", parameters: [Parameter("condition"), Parameter("message", default: .string("expectation failed"))],
            summary: "Fails the test with `message` unless condition is true.",
            example: "expect(1 + 1 == 2, \"arithmetic works\")"
        ) { args, _ in
            guard case .bool(let holds) = args["condition"] else {
                throw args.typeError("condition", expected: "true or false")
            }
            if holds { return .nilValue }
            throw RuntimeError(.expectationFailed, try args.string("message"))
        }
    }

    static var expectClose: NativeFunction {
        NativeFunction(
            name: "expect_close",
            parameters: [Parameter("actual"), Parameter("expected"), Parameter("tol", default: .number(1e-4)),
                         Parameter("rtol", default: .number(0)), Parameter("message", default: .nilValue),
                         Parameter("broadcast", default: .bool(false))],
            summary: "Fails the test unless actual is within tol + rtol·|expected| of expected, element by element.",
            example: "expect_close(0.1 + 0.2, 0.3, tol: 1e-9)"
        ) { args, context in
            let tol = try args.number("tol"), rtol = try args.number("rtol")
            let (actual, expected) = try numeric(args, context)
            let comparison = NumericComparison(actual: actual, expected: expected, broadcast: try args.bool("broadcast"))
            let message = try args.optionalString("message")
            guard comparison.shapesAgree else {
                throw RuntimeError(.expectationFailed, withMessage(message, shapeMessage(comparison)))
            }
            var failing = 0
            for position in actual.elements.indices {
                let a = actual.elements[position]
                let e = expected.isScalar ? expected.elements[0] : expected.elements[position]
                let close = a == e || abs(a - e) <= tol + rtol * abs(e)
                if !close { failing += 1 }
            }
            if failing == 0 { return .nilValue }
            let tolerance = rtol > 0 ? Messages.text("tol {tol}, rtol {rtol}", ["tol": format(tol), "rtol": format(rtol)])
                : Messages.text("tol {tol}", ["tol": format(tol)])
            throw RuntimeError(.expectationFailed,
                               withMessage(message, differenceMessage(comparison, tolerance: tolerance, failing: failing)))
        }
    }

    static var expectEqual: NativeFunction {
        NativeFunction(
            name: "expect_equal",
            parameters: [Parameter("actual"), Parameter("expected"), Parameter("message", default: .nilValue),
                         Parameter("broadcast", default: .bool(false))],
            summary: "Fails the test unless actual equals expected exactly (numbers and tensors element by element).",
            example: "expect_equal(len([1, 2]), 2)"
        ) { args, context in
            let message = try args.optionalString("message")
            let actualValue = args["actual"], expectedValue = args["expected"]
            if let actual = try NumericValue.from(actualValue, context: context),
               let expected = try NumericValue.from(expectedValue, context: context) {
                let comparison = NumericComparison(actual: actual, expected: expected, broadcast: try args.bool("broadcast"))
                guard comparison.shapesAgree else {
                    throw RuntimeError(.expectationFailed, withMessage(message, shapeMessage(comparison)))
                }
                if comparison.largestDifference == 0 { return .nilValue }
                let failing = zip(actual.elements, expected.isScalar
                                  ? Array(repeating: expected.elements[0], count: actual.elements.count)
                                  : expected.elements).filter { $0 != $1 && !($0.isNaN && $1.isNaN) }.count
                throw RuntimeError(.expectationFailed,
                                   withMessage(message, differenceMessage(comparison, tolerance: Messages.text("exact match required"),
                                                                         failing: failing)))
            }
            if actualValue.isEqual(to: expectedValue) { return .nilValue }
            throw RuntimeError(.expectationFailed,
                               withMessage(message, Messages.text("got {actual}, expected {expected}",
                                                      ["actual": actualValue.description, "expected": expectedValue.description])))
        }
    }

    static var expectShape: NativeFunction {
        NativeFunction(
            name: "expect_shape",
            parameters: [Parameter("x"), Parameter("shape"), Parameter("message", default: .nilValue)],
            summary: "Fails the test unless x (a tensor or nested list) has the given shape.",
            example: "expect_shape([[1, 2], [3, 4]], [2, 2])"
        ) { args, context in
            let message = try args.optionalString("message")
            guard let x = try NumericValue.from(args["x"], context: context) else {
                throw args.typeError("x", expected: "a tensor or a list of numbers")
            }
            let shape = try args.list("shape").map { item -> Int in
                guard case .number(let n) = item, let whole = BoundArguments.exactInt(n) else {
                    throw args.typeError("shape", expected: "a list of whole numbers")
                }
                return whole
            }
            if x.shape == shape { return .nilValue }
            throw RuntimeError(.expectationFailed,
                               withMessage(message, Messages.text("shape is {shape}, expected {expected}",
                                                      ["shape": NumericValue.describe(shape: x.shape),
                                                       "expected": NumericValue.describe(shape: shape)])))
        }
    }

    // MARK: messages

    /// What a check says when it fails: the test's own message (if it gave one), then
    /// what was wrong in numbers.
    static func withMessage(_ message: String?, _ detail: String) -> String {
        guard let message else { return detail }
        return Messages.text("{message}: {detail}", ["message": message, "detail": detail])
    }

    private static func numeric(_ args: BoundArguments, _ context: CallContext) throws -> (NumericValue, NumericValue) {
        guard let actual = try NumericValue.from(args["actual"], context: context) else {
            throw RuntimeError(.type, "expect_close: actual is a \(args["actual"].typeName), not a number, list of numbers or tensor")
        }
        guard let expected = try NumericValue.from(args["expected"], context: context) else {
            throw RuntimeError(.type, "expect_close: expected is a \(args["expected"].typeName), not a number, list of numbers or tensor")
        }
        return (actual, expected)
    }

    static func shapeMessage(_ c: NumericComparison) -> String {
        let got = NumericValue.describe(shape: c.actualShape), want = NumericValue.describe(shape: c.expectedShape)
        if c.actualShape.isEmpty {
            return Messages.text("shapes differ: got a single number, expected shape {expected}", ["expected": want])
        }
        if c.expectedShape.isEmpty {
            return c.actualShape.contains(0)
                ? Messages.text("shapes differ: got shape {shape} (no elements), expected a single number", ["shape": got])
                : Messages.text("shapes differ: got shape {shape}, expected a single number", ["shape": got])
        }
        return Messages.text("shapes differ: got shape {shape}, expected shape {expected}", ["shape": got, "expected": want])
    }

    static func differenceMessage(_ c: NumericComparison, tolerance: String, failing: Int) -> String {
        let got = format(c.actualAtWorst), want = format(c.expectedAtWorst)
        if c.actualShape.isEmpty {
            return Messages.text("got {actual}, expected {expected} (difference {difference}; {tolerance})",
                                 ["actual": got, "expected": want, "difference": format(c.largestDifference),
                                  "tolerance": tolerance])
        }
        return Messages.text("largest difference {difference} at {index} (got {actual}, expected {expected}); {failing} of {count} elements off; {tolerance}; shapes agree {shape}",
                             ["difference": format(c.largestDifference), "index": NumericValue.describe(shape: c.worstIndex),
                              "actual": got, "expected": want, "failing": String(failing), "count": String(c.count),
                              "tolerance": tolerance, "shape": NumericValue.describe(shape: c.actualShape)])
    }

    /// Six significant digits: enough to see a mistake, short enough to read.
    static func format(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(format: "%.6g", x)
    }
}
