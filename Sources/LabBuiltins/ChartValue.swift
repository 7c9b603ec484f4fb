import Display
import LabScript

/// A chart (line plot, scatter, heatmap, histogram, image grid, bars, table) as a script
/// value. It prints as terminal text at the session's width and colour, and
/// `save(chart, "x.svg")` writes it as SVG. A table also gives back its `rows` (records)
/// and `columns`, and its `html` and `markdown` forms.
public class ChartValue: HostObject {
    public let chart: Chart
    let state: BuiltinState

    init(_ chart: Chart, state: BuiltinState) {
        self.chart = chart
        self.state = state
    }

    public var typeName: String { "chart" }
    public var scriptDescription: String { chart.render(state.display.terminal) }
    public var memberNames: [String] {
        if case .table = chart.content { return ["title", "svg", "rows", "columns", "html", "markdown"] }
        return ["title", "svg"]
    }

    public func field(_ name: String, context: CallContext) throws -> Value? {
        switch name {
        case "title": return chart.title.map { .string($0) } ?? .nilValue
        case "svg": return .string(chart.svg())
        default: break
        }
        guard case .table(let table) = chart.content else { return nil }
        switch name {
        case "rows": return TableConversion.records(table)
        case "columns": return .list(table.columns.map { .string($0) })
        case "html": return .string(table.html(title: chart.title))
        case "markdown": return .string(table.markdown(title: chart.title))
        default: return nil
        }
    }
}
