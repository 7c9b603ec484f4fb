import Foundation

/// The formats `selfsup export` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    case markdown = "md"
    case html
    case ipynb

    /// `md`/`markdown`, `html`, `ipynb`/`jupyter`.
    public init?(name: String) {
        switch name.lowercased() {
        case "md", "markdown": self = .markdown
        case "html", "htm": self = .html
        case "ipynb", "jupyter", "notebook": self = .ipynb
        default: return nil
        }
    }

    public var fileExtension: String { rawValue }
}

/// Writes a run lesson to disk, every file atomically.
public enum LessonExport {
    /// Writes `run` as `format` to `url`; for Markdown the figures go beside it. `about`
    /// (version, seed, mode) goes into the HTML page's footer.
    /// Returns every file written, the main one first.
    @discardableResult
    public static func write(_ run: LessonRun, as format: ExportFormat, to url: URL,
                             about: RunAbout? = nil) throws(FileWriteError) -> [URL] {
        switch format {
        case .markdown:
            let base = url.deletingPathExtension().lastPathComponent
            let export = MarkdownExport(run, baseName: base)
            let directory = url.deletingLastPathComponent()
            var written: [URL] = []
            for figure in export.figures {
                let figureURL = directory.appendingPathComponent(figure.name)
                try AtomicFile.write(figure.contents, to: figureURL)
                written.append(figureURL)
            }
            try AtomicFile.write(export.markdown, to: url)
            return [url] + written
        case .html:
            try AtomicFile.write(HTMLExport.page(run, about: about), to: url)
            return [url]
        case .ipynb:
            try AtomicFile.write(JupyterExport.text(run), to: url)
            return [url]
        }
    }

    /// The default output path: the lesson's file with the format's extension.
    public static func defaultURL(for lessonFile: String, format: ExportFormat) -> URL {
        URL(fileURLWithPath: lessonFile).deletingPathExtension().appendingPathExtension(format.fileExtension)
    }
}
