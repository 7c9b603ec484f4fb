import Display
import LabSupport

/// What an export says about the run it shows: the lab's version, the seed and the mode
/// (`--quick` or full), so a reader can run the same thing again.
public struct RunAbout: Sendable, Equatable {
    public var version: String
    public var seed: UInt64
    public var quick: Bool

    public init(version: String = LabVersion.current, seed: UInt64, quick: Bool) {
        self.version = version
        self.seed = seed
        self.quick = quick
    }

    /// The footer's sentence.
    public var sentence: String {
        let values = ["version": version, "seed": String(seed)]
        return quick ? Messages.text("Made with SelfSup Lab {version} · seed {seed} · quick mode (--quick)", values)
            : Messages.text("Made with SelfSup Lab {version} · seed {seed} · full mode", values)
    }
}

/// A run lesson as one self-contained HTML page a learner can share: readable CSS in the
/// page (a light and a dark theme, following `prefers-color-scheme`), a table of contents
/// from the lesson's headings, code highlighted with spans, outputs in `<pre>`, figures
/// as inline SVG, and a footer with the version, seed and mode. Everything from the
/// lesson is escaped with `xmlEscape` (Display's one HTML/XML escaper); the page is
/// well-formed XML apart from the HTML5 doctype.
public enum HTMLExport {
    public static func page(_ run: LessonRun, about: RunAbout? = nil) -> String {
        var body: [String] = []
        var anchors = HeadingAnchors()
        /// Where the contents go: after the prose that holds the title (the first heading).
        var contentsIndex: Int?
        for record in run.records {
            let cell = record.cell
            if cell.kind.isProse {
                body.append("<section class=\"prose\">\n\(HTMLMarkdownRenderer.render(cell.source, anchors: &anchors))\n</section>")
                if contentsIndex == nil && !anchors.entries.isEmpty { contentsIndex = body.count }
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
        if let contents = tableOfContents(anchors) {
            body.insert(contents, at: contentsIndex ?? 0)
        }
        let footer = about?.sentence ?? Messages.text("Made with SelfSup Lab {version}", ["version": LabVersion.current])
        return document(title: run.title ?? run.file, language: htmlLanguage(LessonTranslation.language(ofFile: run.file)),
                        body: body,
                        footer: "<footer class=\"about\">\(xmlEscape(footer))</footer>\n")
    }

    /// The `lang` attribute for a language: `zh-CN` (simplified Chinese) or `en`, so that
    /// browsers pick Chinese fonts and line breaking for a Chinese page.
    public static func htmlLanguage(_ language: Language) -> String {
        switch language {
        case .en: "en"
        case .zh: "zh-CN"
        }
    }

    /// The page every HTML file of the lab shares (a lesson, a class summary): the head with
    /// `stylesheet` and any `extraStyle` lines, then `body` inside `<main>`, then `footer`
    /// (markup, already escaped). `title` is escaped here.
    public static func document(title: String, language: String, extraStyle: String = "",
                                body: [String], footer: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="\(language)">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="SelfSup Lab"/>
        <title>\(xmlEscape(title))</title>
        <style>
        \(stylesheet)
        \(extraStyle)</style>
        </head>
        <body>
        <main>
        \(body.joined(separator: "\n"))
        </main>
        \(footer)</body>
        </html>

        """
    }

    /// A `<nav>` linking the lesson's section headings (levels 2 and 3; the title is level
    /// 1), or nil when there are fewer than two.
    static func tableOfContents(_ anchors: HeadingAnchors) -> String? {
        let entries = anchors.entries.filter { $0.level == 2 || $0.level == 3 }
        guard entries.count >= 2 else { return nil }
        let items = entries.map { entry in
            "<li class=\"toc-\(entry.level)\"><a href=\"#\(xmlEscape(entry.id))\">\(xmlEscape(entry.text))</a></li>"
        }
        return "<nav class=\"toc\">\n<h2 class=\"toc-title\">\(xmlEscape(Messages.text("Contents")))</h2>\n<ul>\n"
            + items.joined(separator: "\n") + "\n</ul>\n</nav>"
    }

    /// The page's CSS: a column as wide as the window allows up to 80rem (prose kept to a
    /// readable 48rem), so code and tables fit without scrolling sideways at 1280 px;
    /// colours as variables, with a dark theme under `prefers-color-scheme: dark`; the
    /// highlighter's classes. Every font stack names Chinese fonts after the Latin ones
    /// (Latin text keeps its face, Han characters get a CJK one rather than a fallback's),
    /// and a Chinese page (`lang="zh-CN"`) sets code and outputs in a CJK monospace face
    /// whose Han characters are two Latin columns wide, so terminal tables stay aligned; its
    /// box-drawing and braille characters (which a CJK face draws two columns wide) come
    /// from a Latin monospace face scaled to half an em ("Lab Box Drawing").
    /// Chinese sans-serif faces, in the order macOS, Linux (Noto / Source Han are one
    /// design) and Windows have them.
    static let cjkSans = "\"PingFang SC\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\""

    public static let stylesheet = """
    :root { color-scheme: light dark; --bg: #fdfdfc; --fg: #1f2328; --muted: #57606a; --faint: #8c959f;
      --rule: #d8dee4; --code-bg: #f6f8fa; --code-border: #e3e6ea; --inline-code: #eff1f3; --out-bg: #fff;
      --out-rule: #9ecbff; --err-bg: #fff5f5; --err-rule: #d1242f; --err-fg: #82071e; --link: #0969da;
      --kw: #8250df; --nu: #0550ae; --st: #0a3069; --ip: #953800; --co: #6e7781; --lb: #116329; }
    @media (prefers-color-scheme: dark) {
      :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --faint: #6e7681; --rule: #30363d;
        --code-bg: #161b22; --code-border: #30363d; --inline-code: #262c36; --out-bg: #0d1117;
        --out-rule: #1f6feb; --err-bg: #25171c; --err-rule: #f85149; --err-fg: #ffa198; --link: #4493f8;
        --kw: #d2a8ff; --nu: #79c0ff; --st: #a5d6ff; --ip: #ffa657; --co: #8b949e; --lb: #7ee787; }
      figure svg { background: #fff; border-radius: 6px; }
    }
    body { margin: 0; background: var(--bg); color: var(--fg); font: 17px/1.6 Georgia, "Iowan Old Style", \(cjkSans), serif; }
    main { box-sizing: border-box; max-width: 80rem; margin: 2rem auto 2rem; padding: 0 2rem; }
    .prose > * { max-width: 48rem; }
    a { color: var(--link); }
    h1, h2, h3, h4 { font-family: system-ui, -apple-system, "Segoe UI", \(cjkSans), sans-serif; line-height: 1.25; }
    h1 { font-size: 2rem; border-bottom: 1px solid var(--rule); padding-bottom: .3rem; }
    code, pre { font: 14px/1.45 ui-monospace, "SF Mono", Menlo, Consolas, \(cjkSans), monospace; }
    @font-face { font-family: "Lab Box Drawing"; src: local("DejaVu Sans Mono"), local("Menlo"), local("Liberation Mono"),
      local("Consolas"); unicode-range: U+2500-259F, U+2800-28FF; size-adjust: 83%; }
    :lang(zh) code, :lang(zh) pre { font-family: "Lab Box Drawing", "Noto Sans Mono CJK SC", "Sarasa Mono SC", ui-monospace,
      "SF Mono", Menlo, Consolas, \(cjkSans), monospace; }
    p code, li code { background: var(--inline-code); padding: .1em .3em; border-radius: 4px; }
    pre { padding: .75rem 1rem; border-radius: 6px; overflow-x: auto; margin: .5rem 0; }
    blockquote { margin: 1rem 0; padding: 0 1rem; border-left: 4px solid var(--rule); color: var(--muted); }
    nav.toc { max-width: 48rem; margin: 1rem 0 2rem; padding: .5rem 1.25rem; border: 1px solid var(--rule); border-radius: 6px;
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", \(cjkSans), sans-serif; }
    nav.toc .toc-title { font-size: 1rem; margin: .5rem 0; }
    nav.toc ul { list-style: none; padding: 0; margin: 0 0 .5rem; }
    nav.toc .toc-3 { padding-left: 1.25rem; font-size: 14px; }
    .cell { margin: 1.25rem 0; }
    .prompt { font: 12px ui-monospace, monospace; color: var(--faint); }
    .prompt .where { float: right; }
    pre.code { background: var(--code-bg); border: 1px solid var(--code-border); }
    pre.output { background: var(--out-bg); border-left: 3px solid var(--out-rule); }
    pre.error { background: var(--err-bg); border-left: 3px solid var(--err-rule); color: var(--err-fg); }
    .stopped { color: var(--err-fg); font-weight: bold; }
    figure { margin: 1rem 0; text-align: center; }
    figure svg { max-width: 100%; height: auto; }
    figcaption { font-size: .9rem; color: var(--muted); }
    .table-wrap { overflow-x: auto; margin: 1rem 0; }
    table.table { border-collapse: collapse; margin: 0 auto; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", \(cjkSans), sans-serif; }
    table.table caption { font-size: .9rem; color: var(--muted); padding-bottom: .4rem; }
    table.table th, table.table td { padding: .3rem .45rem; border-bottom: 1px solid var(--code-border); text-align: left; white-space: nowrap; }
    table.table td:not(.num) { white-space: normal; min-width: 6rem; }
    table.table th { border-bottom: 2px solid var(--faint); }
    table.table .num { text-align: right; font-variant-numeric: tabular-nums; }
    table.table tbody tr:nth-child(even) { background: var(--code-bg); }
    footer.about { max-width: 80rem; box-sizing: border-box; margin: 0 auto 3rem; padding: 1rem 2rem 0; border-top: 1px solid var(--rule);
      color: var(--muted); font: 13px/1.5 system-ui, -apple-system, "Segoe UI", \(cjkSans), sans-serif; }
    .kw { color: var(--kw); font-weight: bold; }
    .nu { color: var(--nu); }
    .st { color: var(--st); }
    .ip { color: var(--ip); }
    .co { color: var(--co); font-style: italic; }
    .lb { color: var(--lb); }
    .fn { color: var(--ip); }
    """
}
