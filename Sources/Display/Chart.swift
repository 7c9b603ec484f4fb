import LabSupport
import Foundation

/// An error a script can cause through a display function (bad shapes, empty data).
public enum DisplayError: Error, Equatable, CustomStringConvertible {
    case invalidArgument(function: String, message: String)

    public var description: String {
        switch self {
        case let .invalidArgument(function, message):
            return Messages.text("{function}: {message}", ["function": function, "message": message])
        }
    }
}

/// The product of `dims`, or nil when it overflows `Int` (shapes that come from scripts).
func elementCount(_ dims: [Int]) -> Int? {
    var product = 1
    for d in dims {
        let (p, overflow) = product.multipliedReportingOverflow(by: d)
        if overflow { return nil }
        product = p
    }
    return product
}

/// One named line of a line plot.
public struct Series: Sendable, Equatable {
    public var name: String
    public var x: [Double]
    public var y: [Double]

    /// A series with explicit x values (same count as `y`).
    public init(name: String = "", x: [Double], y: [Double]) throws {
        guard x.count == y.count else {
            throw DisplayError.invalidArgument(function: "plot",
                message: Messages.text("series '{name}' has {x} x values but {y} y values",
                    ["name": name, "x": "\(x.count)", "y": "\(y.count)"]))
        }
        self.name = name
        self.x = x
        self.y = y
    }

    /// A series plotted against 0, 1, 2, … (a loss curve against the step).
    public init(name: String = "", y: [Double]) {
        self.name = name
        self.x = y.indices.map(Double.init)
        self.y = y
    }
}

/// What a chart shows.
public enum ChartContent: Sendable, Equatable {
    /// Line plots sharing axes.
    case lines([Series])
    /// Points coloured by integer label; `classNames[label]` names a class in the legend.
    case scatter(x: [Double], y: [Double], labels: [Int], classNames: [String])
    /// A row-major matrix of `rows × columns` values shown as coloured cells; `range` fixes
    /// the values at the ends of the colour map (else it follows the data).
    case heatmap(values: [Double], rows: Int, columns: Int, diverging: Bool, range: ClosedRange<Double>?)
    /// Bin edges (`counts.count + 1` of them) and the count in each bin.
    case histogram(edges: [Double], counts: [Int])
    /// A grid of images.
    case images(ImageGrid)
    /// Grouped bars over categories, with optional error bars.
    case bars(BarChart)
    /// A table of named columns.
    case table(Table)
}

/// A chart: content plus title and axis labels. It renders to terminal text with
/// `render(_:)` and to a standalone SVG document with `svg()`; `save(to:)` writes the SVG.
public struct Chart: Sendable, Equatable {
    public var content: ChartContent
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    /// Plot y on a log10 scale (line plots; values <= 0 are left out).
    public var logY: Bool
    /// The x axis counts from its first value (epochs from 1, as the progress bar counts):
    /// its first tick is that value, then the usual round ticks after it (line plots).
    public var xCounts = false

    public init(_ content: ChartContent, title: String? = nil, xLabel: String? = nil,
                yLabel: String? = nil, logY: Bool = false) {
        self.content = content
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logY = logY
    }
}

// MARK: - Making charts

/// A line plot of one or more series (a legend appears when there are several or they are named).
public func plot(_ series: [Series], title: String? = nil, xLabel: String? = nil,
                 yLabel: String? = nil, logY: Bool = false) throws -> Chart {
    guard !series.isEmpty else {
        throw DisplayError.invalidArgument(function: "plot", message: Messages.text("no series to plot"))
    }
    guard series.contains(where: { s in s.y.contains { $0.isFinite && (!logY || $0 > 0) } }) else {
        throw DisplayError.invalidArgument(function: "plot",
            message: logY ? Messages.text("no positive finite values to plot on a log scale") : Messages.text("no finite values to plot"))
    }
    return Chart(.lines(series), title: title, xLabel: xLabel, yLabel: yLabel, logY: logY)
}

/// A line plot of `y` against `x` (a sweep's axis shows the swept values).
public func plot(x: [Double], y: [Double], name: String = "", title: String? = nil, xLabel: String? = nil,
                 yLabel: String? = nil, logY: Bool = false) throws -> Chart {
    try plot([Series(name: name, x: x, y: y)], title: title, xLabel: xLabel, yLabel: yLabel, logY: logY)
}

/// A training run's mean loss per epoch against the epoch, counted from 1 as the progress
/// bar counts (`epoch 1/10`): the axes are titled "epoch" and "loss" and the first x tick
/// is 1.
public func lossPlot(_ losses: [Double], name: String = "", title: String? = nil, logY: Bool = false) throws -> Chart {
    let epochs = losses.indices.map { Double($0 + 1) }
    var chart = try plot([Series(name: name, x: epochs, y: losses)], title: title, xLabel: Messages.text("epoch"), yLabel: Messages.text("loss"), logY: logY)
    chart.xCounts = true
    return chart
}

/// A line plot of `y` against its index.
public func plot(_ y: [Double], name: String = "", title: String? = nil, xLabel: String? = nil,
                 yLabel: String? = nil, logY: Bool = false) throws -> Chart {
    try plot([Series(name: name, y: y)], title: title, xLabel: xLabel, yLabel: yLabel, logY: logY)
}

/// A scatter plot of points `(x[i], y[i])`, coloured by `labels[i]` (all 0 when nil).
public func scatter(x: [Double], y: [Double], labels: [Int]? = nil, classNames: [String] = [],
                    title: String? = nil, xLabel: String? = nil, yLabel: String? = nil) throws -> Chart {
    guard x.count == y.count else {
        throw DisplayError.invalidArgument(function: "scatter",
            message: Messages.text("{x} x values but {y} y values", ["x": "\(x.count)", "y": "\(y.count)"]))
    }
    guard !x.isEmpty else { throw DisplayError.invalidArgument(function: "scatter", message: Messages.text("no points")) }
    let labels = labels ?? Array(repeating: 0, count: x.count)
    guard labels.count == x.count else {
        throw DisplayError.invalidArgument(function: "scatter",
            message: Messages.text("{points} points but {labels} labels", ["points": "\(x.count)", "labels": "\(labels.count)"]))
    }
    guard labels.allSatisfy({ $0 >= 0 }) else {
        throw DisplayError.invalidArgument(function: "scatter", message: Messages.text("labels must be >= 0"))
    }
    return Chart(.scatter(x: x, y: y, labels: labels, classNames: classNames),
                 title: title, xLabel: xLabel, yLabel: yLabel)
}

/// A scatter plot of 2-D points given as rows `[x, y]` (extra columns are ignored).
public func scatter(_ points: [[Double]], labels: [Int]? = nil, classNames: [String] = [],
                    title: String? = nil) throws -> Chart {
    guard points.allSatisfy({ $0.count >= 2 }) else {
        throw DisplayError.invalidArgument(function: "scatter", message: Messages.text("each point needs 2 coordinates"))
    }
    return try scatter(x: points.map { $0[0] }, y: points.map { $0[1] }, labels: labels,
                       classNames: classNames, title: title)
}

/// A heatmap of a row-major `rows × columns` matrix. `diverging` (default: the data has
/// both signs) uses a blue-white-red map centred on zero (from -max|v| to max|v|), else
/// viridis from min to max. `range` fixes the ends instead, e.g. `-1...1` for correlation
/// matrices, so that maps from different epochs compare.
public func heatmap(values: [Double], rows: Int, columns: Int, diverging: Bool? = nil,
                    range: ClosedRange<Double>? = nil, title: String? = nil) throws -> Chart {
    if let range, !(range.lowerBound.isFinite && range.upperBound.isFinite && range.lowerBound < range.upperBound) {
        throw DisplayError.invalidArgument(function: "heatmap", message: Messages.text("range must be finite with low < high"))
    }
    guard rows > 0, columns > 0, elementCount([rows, columns]) == values.count else {
        throw DisplayError.invalidArgument(function: "heatmap",
            message: Messages.text("{count} values do not fill a {rows}×{columns} matrix",
                ["count": "\(values.count)", "rows": "\(rows)", "columns": "\(columns)"]))
    }
    let finite = values.filter(\.isFinite)
    let signed = (finite.min() ?? 0) < 0 && (finite.max() ?? 0) > 0
    return Chart(.heatmap(values: values, rows: rows, columns: columns, diverging: diverging ?? signed,
                          range: range), title: title)
}

/// A heatmap of a matrix given as rows of equal length.
public func heatmap(_ matrix: [[Double]], diverging: Bool? = nil, range: ClosedRange<Double>? = nil,
                    title: String? = nil) throws -> Chart {
    let columns = matrix.first?.count ?? 0
    guard matrix.allSatisfy({ $0.count == columns }) else {
        throw DisplayError.invalidArgument(function: "heatmap", message: Messages.text("rows have different lengths"))
    }
    return try heatmap(values: matrix.flatMap { $0 }, rows: matrix.count, columns: columns,
                       diverging: diverging, range: range, title: title)
}

/// A histogram with `bins` equal-width bins from the smallest to the largest finite value,
/// as `numpy.histogram(values, bins)`: every bin is half-open `[a, b)` except the last,
/// which includes its right edge. Non-finite values are left out.
public func hist(_ values: [Double], bins: Int = 20, title: String? = nil,
                 xLabel: String? = nil) throws -> Chart {
    guard bins >= 1, bins <= 1000 else {
        throw DisplayError.invalidArgument(function: "hist", message: Messages.text("bins must be in 1...1000, got {bins}", ["bins": "\(bins)"]))
    }
    let finite = values.filter(\.isFinite)
    guard !finite.isEmpty else {
        throw DisplayError.invalidArgument(function: "hist", message: Messages.text("no finite values"))
    }
    var lo = finite.min()!, hi = finite.max()!
    if lo == hi { lo -= 0.5; hi += 0.5 }  // numpy's rule for a constant array
    guard (hi - lo).isFinite else {
        throw DisplayError.invalidArgument(function: "hist", message: Messages.text("the range of the values is too large (overflows)"))
    }
    let width = (hi - lo) / Double(bins)
    let edges = (0...bins).map { $0 == bins ? hi : lo + Double($0) * width }
    var counts = Array(repeating: 0, count: bins)
    for v in finite {
        var i = Int(min(Double(bins - 1), max(0, ((v - lo) / (hi - lo) * Double(bins)).rounded(.down))))
        // Correct for rounding at the edges, as numpy does.
        if i > 0 && v < edges[i] { i -= 1 }
        if i < bins - 1 && v >= edges[i + 1] { i += 1 }
        counts[i] += 1
    }
    return Chart(.histogram(edges: edges, counts: counts), title: title, xLabel: xLabel, yLabel: Messages.text("count"))
}
