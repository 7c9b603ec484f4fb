import LabSupport
import TensorCore

/// The way a tensor prints in the REPL, scripts and lessons:
///
/// ```
/// shape [2, 3]
/// min -1.5  max 2.5  mean 0.3333  std 1.312
/// [[ 1. ,  2.5, -1.5],
///  [ 0. ,  0. ,  0. ]]
/// ```
///
/// A scalar (shape `[]`) prints as its value alone, in full precision (shortest round-trip).
public func describeTensor(data: [Float], shape: [Int], options: ArrayPrintOptions = .init()) -> String {
    precondition(data.count == shape.reduce(1, *),
                 "describeTensor: \(data.count) elements do not fill shape \(shape)")
    if shape.isEmpty { return NumberFormat.scalar(data[0]) }
    let header = Messages.text("shape {shape}", ["shape": formatShape(shape)])
    let stats = TensorStats(data).line
    return header + "\n" + stats + "\n" + formatArray(data, shape: shape, options: options)
}

extension Tensor {
    /// The tensor as it prints: shape, stats line and a NumPy-style summary.
    public func displayString(options: ArrayPrintOptions = .init()) -> String {
        describeTensor(data: data, shape: shape, options: options)
    }

    /// Statistics of the elements (NaN and Inf counted apart).
    public var stats: TensorStats { TensorStats(data) }
}
