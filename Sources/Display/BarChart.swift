import LabSupport
import Foundation

/// One series of a bar chart: a value per category, optionally with an error (half the
/// length of the error bar, e.g. the std over seeds: the bar shows mean ± error).
public struct BarSeries: Sendable, Equatable {
    public var name: String
    public var values: [Double]
    public var errors: [Double]?

    public init(name: String = "", values: [Double], errors: [Double]? = nil) {
        self.name = name
        self.values = values
        self.errors = errors
    }
}

/// Grouped bars: one group per category label, one bar per series in each group.
public struct BarChart: Sendable, Equatable {
    public var labels: [String]
    public var series: [BarSeries]

    /// Whether a legend is needed (several series, or a named one).
    var hasLegend: Bool { series.count > 1 || series.contains { !$0.name.isEmpty } }

    /// The value range the bars span, always including 0 (bars grow from zero) and the
    /// ends of the error bars.
    var valueRange: AxisRange {
        var values: [Double] = [0]
        for s in series {
            for (i, v) in s.values.enumerated() where v.isFinite {
                let e = s.errors.map { $0[i].isFinite ? abs($0[i]) : 0 } ?? 0
                values += [v - e, v + e]
            }
        }
        return AxisRange(values)
    }

    func seriesName(_ i: Int) -> String { series[i].name.isEmpty ? Messages.text("series {number}", ["number": String(i + 1)]) : series[i].name }
}

/// A bar chart of `values` (one series, or rows of series) over the categories `labels`;
/// `errors` (same shape as `values`) draws error bars of ± that much.
///
///     bar([[0.41, 0.55], [0.52, 0.70]], labels: ["SimCLR", "BYOL"], names: ["1 label", "3 labels"])
///
/// draws two groups (SimCLR, BYOL) of two bars (1 label, 3 labels).
public func bar(_ values: [[Double]], labels: [String] = [], names: [String] = [], errors: [[Double]]? = nil,
                title: String? = nil, yLabel: String? = nil) throws -> Chart {
    func fail(_ message: String) -> DisplayError { .invalidArgument(function: "bar", message: message) }
    guard let count = values.first?.count, count > 0 else { throw fail(Messages.text("no values to draw")) }
    guard values.allSatisfy({ $0.count == count }) else { throw fail(Messages.text("every series needs the same number of values")) }
    guard count <= 500, values.count <= 20 else { throw fail(Messages.text("at most 500 bars per series and 20 series")) }
    guard values.contains(where: { $0.contains(where: \.isFinite) }) else { throw fail(Messages.text("no finite values to draw")) }
    let labels = labels.isEmpty ? (0..<count).map { "\($0)" } : labels
    guard labels.count == count else { throw fail(Messages.text("{count} values per series but {labels} labels", ["count": "\(count)", "labels": "\(labels.count)"])) }
    if let errors {
        guard errors.count == values.count, errors.allSatisfy({ $0.count == count }) else {
            throw fail(Messages.text("errors must have the same shape as the values ({series} × {count})",
                ["series": "\(values.count)", "count": "\(count)"]))
        }
    }
    let series = values.indices.map { i in
        BarSeries(name: i < names.count ? names[i] : "", values: values[i], errors: errors?[i])
    }
    return Chart(.bars(BarChart(labels: labels, series: series)), title: title, yLabel: yLabel)
}
