import Display

/// A run lesson as one self-contained HTML page: readable CSS in the page, code
/// highlighted with spans, outputs in `<pre>`, figures as inline SVG. Everything from the
/// lesson is escaped with `xmlEscape` (Display's one HTML/XML escaper); the page is
/// well-formed XML apart from the HTML5 doctype.
public enum HTMLExport {
    public static func page(_ run: LessonRun) -> String {
        var body: [String] = []
        for record in run.records {
            let cell = record.cell
            if cell.kind.isProse {
                body.append("<section class=\"prose\">\n\(HTMLMarkdownRenderer.render(cell.source))\n</section>")
                continue
            }
            var parts = ["<section class=\"cell\" id=\"cell-\(record.number)\">"]
            let count = record.executionCount.map { "[\($0)]" } ?? "[ ]"
            parts.append("<div class=\"prompt\">\(count) <span class=\"where\">line \(cell.firstLine)</span></div>")
            parts.append("<pre class=\"code\"><code>\(highlightedHTML(cell.source))</code></pre>")
            for output in ExportedOutput.outputs(of: record) {
                switch output {
                case .text(let text):
                    parts.append("<pre class=\"output\">\(xmlEscape(text))</pre>")
                case .image(let figure) where figure.html != nil:
                    parts.append("<div class=\"table-wrap\">\n\(figure.html ?? "")\n</div>")
                case .image(let figure):
                    parts.append("<figure>\n\(inlineSVG(figure.svg))\n<figcaption>\(xmlEscape(figure.title))</figcaption>\n</figure>")
                case .error(let diagnostic):
                    parts.append("<pre class=\"error\">\(xmlEscape(diagnostic))</pre>")
                }
            }
            parts.append("</section>")
            body.append(parts.joined(separator: "\n"))
        }
        switch run.outcome {
        case .completed:
            break
        case .failed(let cell, let line, let message):
            let place = line.map { " at line \($0)" } ?? ""
            body.append("<p class=\"stopped\">The run stopped: cell \(cell) failed\(place): \(xmlEscape(message))</p>")
        case .stopped(let cell):
            body.append("<p class=\"stopped\">The run was stopped after cell \(cell).</p>")
        }
        let title = xmlEscape(run.title ?? run.file)
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="SelfSup Lab"/>
        <title>\(title)</title>
        <style>
        \(stylesheet)
        </style>
        </head>
        <body>
        <main>
        \(body.joined(separator: "\n"))
        </main>
        </body>
        </html>

        """
    }

    /// The page's CSS: a readable column, quiet code blocks, the highlighter's classes.
    public static let stylesheet = """
    body { margin: 0; background: #fdfdfc; color: #1f2328; font: 17px/1.6 Georgia, "Iowan Old Style", serif; }
    main { max-width: 46rem; margin: 2rem auto 4rem; padding: 0 1.25rem; }
    h1, h2, h3, h4 { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.25; }
    h1 { font-size: 2rem; border-bottom: 1px solid #d8dee4; padding-bottom: .3rem; }
    code, pre { font: 14px/1.45 ui-monospace, "SF Mono", Menlo, Consolas, monospace; }
    p code, li code { background: #eff1f3; padding: .1em .3em; border-radius: 4px; }
    pre { padding: .75rem 1rem; border-radius: 6px; overflow-x: auto; margin: .5rem 0; }
    blockquote { margin: 1rem 0; padding: 0 1rem; border-left: 4px solid #d0d7de; color: #57606a; }
    .cell { margin: 1.25rem 0; }
    .prompt { font: 12px ui-monospace, monospace; color: #8c959f; }
    .prompt .where { float: right; }
    pre.code { background: #f6f8fa; border: 1px solid #e3e6ea; }
    pre.output { background: #fff; border-left: 3px solid #9ecbff; }
    pre.error { background: #fff5f5; border-left: 3px solid #d1242f; color: #82071e; }
    .stopped { color: #82071e; font-weight: bold; }
    figure { margin: 1rem 0; text-align: center; }
    figure svg { max-width: 100%; height: auto; }
    figcaption { font-size: .9rem; color: #57606a; }
    .table-wrap { overflow-x: auto; margin: 1rem 0; }
    table.table { border-collapse: collapse; margin: 0 auto; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
    table.table caption { font-size: .9rem; color: #57606a; padding-bottom: .4rem; }
    table.table th, table.table td { padding: .3rem .45rem; border-bottom: 1px solid #e3e6ea; text-align: left; white-space: nowrap; }
    table.table th { border-bottom: 2px solid #8c959f; }
    table.table .num { text-align: right; font-variant-numeric: tabular-nums; }
    table.table tbody tr:nth-child(even) { background: #f6f8fa; }
    .kw { color: #8250df; font-weight: bold; }
    .nu { color: #0550ae; }
    .st { color: #0a3069; }
    .ip { color: #953800; }
    .co { color: #6e7781; font-style: italic; }
    .lb { color: #116329; }
    .fn { color: #953800; }
    """
}
