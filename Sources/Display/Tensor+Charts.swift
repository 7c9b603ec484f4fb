import LabSupport
import TensorCore

/// Thin `Tensor` front ends to the chart functions; they only read `shape` and `data`.
extension Tensor {
    /// A line plot of a 1-D tensor against its index, or of each row of a 2-D tensor as a series.
    public func plot(names: [String] = [], title: String? = nil, xLabel: String? = nil,
                     yLabel: String? = nil, logY: Bool = false) throws -> Chart {
        let values = data.map(Double.init)
        switch shape.count {
        case 1:
            return try Display.plot([Series(name: names.first ?? "", y: values)],
                                    title: title, xLabel: xLabel, yLabel: yLabel, logY: logY)
        case 2 where shape[0] >= 1 && shape[1] >= 1:
            let n = shape[1]
            let series = (0..<shape[0]).map { r in
                Series(name: r < names.count ? names[r] : "", y: Array(values[(r * n)..<((r + 1) * n)]))
            }
            return try Display.plot(series, title: title, xLabel: xLabel, yLabel: yLabel, logY: logY)
        default:
            throw DisplayError.invalidArgument(function: "plot",
                message: Messages.text("expects a 1-D tensor or a 2-D tensor of series, got {shape}", ["shape": formatShape(shape)]))
        }
    }

    /// A scatter plot of a `[n, 2]` tensor (more columns: the first two are used), coloured by
    /// `labels` (`n` class indices, as floats, or nil).
    public func scatter(labels: Tensor? = nil, classNames: [String] = [], title: String? = nil) throws -> Chart {
        guard shape.count == 2, shape[1] >= 2 else {
            throw DisplayError.invalidArgument(function: "scatter",
                message: Messages.text("expects points of shape [n, 2] (or more columns), got {shape}", ["shape": formatShape(shape)]))
        }
        let d = shape[1]
        let xs = (0..<shape[0]).map { Double(data[$0 * d]) }
        let ys = (0..<shape[0]).map { Double(data[$0 * d + 1]) }
        var classes: [Int]?
        if let labels {
            guard labels.data.allSatisfy({ $0.isFinite && $0 >= 0 && $0 < 1_000_000 && $0 == $0.rounded() }) else {
                throw DisplayError.invalidArgument(function: "scatter", message: Messages.text("labels must be whole numbers >= 0"))
            }
            classes = labels.data.map { Int($0) }
        }
        return try Display.scatter(x: xs, y: ys, labels: classes, classNames: classNames, title: title)
    }

    /// A heatmap of a 2-D tensor (a 1-D tensor is one row).
    public func heatmap(diverging: Bool? = nil, range: ClosedRange<Double>? = nil,
                        title: String? = nil) throws -> Chart {
        guard shape.count == 1 || shape.count == 2 else {
            throw DisplayError.invalidArgument(function: "heatmap", message: Messages.text("expects a 2-D tensor, got {shape}", ["shape": formatShape(shape)]))
        }
        let rows = shape.count == 2 ? shape[0] : 1
        let columns = shape.last ?? 0
        return try Display.heatmap(values: data.map(Double.init), rows: rows, columns: columns,
                                   diverging: diverging, range: range, title: title)
    }

    /// A histogram of all the elements.
    public func hist(bins: Int = 20, title: String? = nil) throws -> Chart {
        try Display.hist(data.map(Double.init), bins: bins, title: title)
    }
}

extension Tensor {
    /// A line plot of a 1-D tensor (or each row of a 2-D tensor) against the values `x`,
    /// one per column.
    public func plot(x: [Double], names: [String] = [], title: String? = nil, xLabel: String? = nil,
                     yLabel: String? = nil, logY: Bool = false) throws -> Chart {
        let values = data.map(Double.init)
        let rows: [[Double]]
        switch shape.count {
        case 1: rows = [values]
        case 2 where shape[0] >= 1 && shape[1] >= 1:
            rows = (0..<shape[0]).map { r in Array(values[(r * shape[1])..<((r + 1) * shape[1])]) }
        default:
            throw DisplayError.invalidArgument(function: "plot",
                message: Messages.text("expects y as a 1-D tensor or a 2-D tensor of series, got {shape}", ["shape": formatShape(shape)]))
        }
        let series = try rows.enumerated().map { r, y in
            guard y.count == x.count else {
                throw DisplayError.invalidArgument(function: "plot", message: Messages.text("{x} x values but {y} y values", ["x": "\(x.count)", "y": "\(y.count)"]))
            }
            return try Series(name: r < names.count ? names[r] : "", x: x, y: y)
        }
        return try Display.plot(series, title: title, xLabel: xLabel, yLabel: yLabel, logY: logY)
    }
}
