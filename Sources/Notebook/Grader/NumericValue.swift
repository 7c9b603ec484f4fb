import LabScript

/// A number, a (nested) list of numbers or a tensor, seen as a shape and its elements in
/// row-major order, so the grader can compare any of them with any other.
///
/// Tensors are read through the host interface only (`x.shape` and `x.tolist()`), so the
/// grader works with any host object that offers those two members.
struct NumericValue {
    var shape: [Int]
    var elements: [Double]

    /// The value as numbers, or nil (with the reason) if it is not numeric.
    static func from(_ value: Value, context: CallContext) throws -> NumericValue? {
        switch value {
        case .number(let x):
            return NumericValue(shape: [], elements: [x])
        case .list(let items):
            var parts: [NumericValue] = []
            for item in items {
                guard let part = try from(item, context: context) else { return nil }
                parts.append(part)
            }
            guard let first = parts.first else { return NumericValue(shape: [0], elements: []) }
            guard parts.allSatisfy({ $0.shape == first.shape }) else { return nil }
            return NumericValue(shape: [parts.count] + first.shape, elements: parts.flatMap(\.elements))
        case .host(let object):
            guard case .list(let shapeItems)? = try object.field("shape", context: context),
                  let method = object.method("tolist") else { return nil }
            let shape = shapeItems.compactMap { item -> Int? in
                if case .number(let n) = item, let whole = BoundArguments.exactInt(n) { return whole }
                return nil
            }
            guard shape.count == shapeItems.count else { return nil }
            let list = try context.call(.native(method), [])
            guard let numbers = try from(list, context: context) else { return nil }
            guard numbers.elements.count == shape.reduce(1, *) else { return nil }
            return NumericValue(shape: shape, elements: numbers.elements)
        default:
            return nil
        }
    }

    var isScalar: Bool { shape.isEmpty }

    /// `[2, 1]` for the row-major position `flat`; `[]` for a scalar.
    func index(of flat: Int) -> [Int] {
        var remainder = flat
        var index = Array(repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() where shape[axis] > 0 {
            index[axis] = remainder % shape[axis]
            remainder /= shape[axis]
        }
        return index
    }

    static func describe(shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }
}

/// How two numeric values compare: shapes, and the largest difference where it is.
struct NumericComparison {
    var shapesAgree: Bool
    var actualShape: [Int]
    var expectedShape: [Int]
    /// Largest |actual - expected| (infinite where one side is NaN and the other is not).
    var largestDifference: Double
    /// Where the largest difference is, and the two values there.
    var worstIndex: [Int]
    var actualAtWorst: Double
    var expectedAtWorst: Double
    /// Elements compared.
    var count: Int

    /// Compares `actual` with `expected` of the same shape; with `broadcast`, a scalar
    /// `expected` is compared with every element of a non-empty `actual`. Returns a
    /// comparison with `shapesAgree == false` (and no differences) otherwise: an empty
    /// result never equals a number.
    init(actual: NumericValue, expected: NumericValue, broadcast: Bool = false) {
        actualShape = actual.shape
        expectedShape = expected.shape
        shapesAgree = actual.shape == expected.shape
            || (broadcast && expected.isScalar && !actual.elements.isEmpty)
        largestDifference = 0
        worstIndex = []
        actualAtWorst = actual.elements.first ?? 0
        expectedAtWorst = expected.elements.first ?? 0
        count = 0
        guard shapesAgree else { return }
        count = actual.elements.count
        var worst = -1.0
        for position in actual.elements.indices {
            let a = actual.elements[position]
            let e = expected.isScalar ? expected.elements[0] : expected.elements[position]
            let difference: Double
            if a == e || (a.isNaN && e.isNaN) { difference = 0 }
            else if a.isNaN || e.isNaN { difference = .infinity }
            else { difference = abs(a - e) }
            if difference > worst || (difference.isNaN && worst.isFinite) {
                worst = difference
                worstIndex = actual.index(of: position)
                actualAtWorst = a
                expectedAtWorst = e
            }
        }
        largestDifference = max(0, worst)
    }
}
