import Display

extension Figure {
    /// The figure of a chart: its SVG and terminal text; a table also gets its HTML and
    /// Markdown forms for the exports.
    init(_ chart: Chart, terminalText: String) {
        var html: String?, markdown: String?
        if case .table(let table) = chart.content {
            html = table.html(title: chart.title)
            markdown = table.markdown(title: chart.title)
        }
        self.init(title: chart.title ?? (html == nil ? "figure" : "table"), svg: chart.svg(),
                  terminalText: terminalText, html: html, markdown: markdown)
    }
}
