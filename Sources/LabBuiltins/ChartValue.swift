import Display
import LabScript

/// A chart (line plot, scatter, heatmap, histogram, image grid) as a script value. It
/// prints as terminal text at the session's width and colour, and `save(chart, "x.svg")`
/// writes it as SVG.
public final class ChartValue: HostObject {
    public let chart: Chart
    let state: BuiltinState

    init(_ chart: Chart, state: BuiltinState) {
        self.chart = chart
        self.state = state
    }

    public var typeName: String { "chart" }
    public var scriptDescription: String { chart.render(state.display.terminal) }
    public var memberNames: [String] { ["title", "svg"] }

    public func field(_ name: String, context: CallContext) throws -> Value? {
        switch name {
        case "title": return chart.title.map { .string($0) } ?? .nilValue
        case "svg": return .string(chart.svg())
        default: return nil
        }
    }
}
