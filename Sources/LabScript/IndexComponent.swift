import LabSupport

/// One comma-separated part of an index, evaluated: `x[2, :, 1:3, ::-1]` gives
/// `[.integer(2), .slice(nil, nil, nil), .slice(1, 3, nil), .slice(nil, nil, -1)]`.
/// A non-integer index value (a string, a list, a host object such as a mask) arrives as
/// `.value`.
public enum IndexComponent {
    case integer(Int)
    case slice(start: Int?, stop: Int?, step: Int?)
    case value(Value)

    /// The full slice `:`.
    public static var all: IndexComponent { .slice(start: nil, stop: nil, step: nil) }

    /// `index` for a sequence of `count` items, with Python's negative indexing, or nil if
    /// it is out of range.
    public static func resolve(_ index: Int, count: Int) -> Int? {
        let resolved = index < 0 ? index + count : index
        return resolved >= 0 && resolved < count ? resolved : nil
    }

    /// The positions a slice selects in a sequence of `count` items, exactly as Python's
    /// `slice.indices` (negative bounds count from the end; out-of-range bounds clamp).
    /// Throws for a zero step.
    public static func sliceIndices(start: Int?, stop: Int?, step: Int?, count: Int) throws -> [Int] {
        let step = step ?? 1
        if step == 0 { throw RuntimeError(.index, Messages.text("slice step cannot be zero")) }
        func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int { min(max(value, low), high) }
        if step > 0 {
            let first = start.map { clamp($0 < 0 ? $0 + count : $0, 0, count) } ?? 0
            let last = stop.map { clamp($0 < 0 ? $0 + count : $0, 0, count) } ?? count
            return first < last ? Array(stride(from: first, to: last, by: step)) : []
        } else {
            let first = start.map { clamp($0 < 0 ? $0 + count : $0, -1, count - 1) } ?? count - 1
            let last = stop.map { clamp($0 < 0 ? $0 + count : $0, -1, count - 1) } ?? -1
            return first > last ? Array(stride(from: first, to: last, by: step)) : []
        }
    }
}
