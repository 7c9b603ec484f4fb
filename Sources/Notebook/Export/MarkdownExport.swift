/// A file an export writes besides its main document (an SVG figure).
public struct ExportedFile: Sendable, Equatable {
    public var name: String
    public var contents: String
}

/// A run lesson as Markdown: prose as written, code fenced as `lab`, text outputs fenced,
/// figures as SVG files beside the `.md` and linked from it, tables as Markdown tables.
public struct MarkdownExport: Sendable, Equatable {
    public var markdown: String
    public var figures: [ExportedFile]

    /// `baseName` names the figure files: `<baseName>-cell<N>-<k>.svg`.
    public init(_ run: LessonRun, baseName: String) {
        var blocks: [String] = []
        var figures: [ExportedFile] = []
        for record in run.records {
            let cell = record.cell
            if cell.kind.isProse {
                if !cell.source.isEmpty { blocks.append(cell.source) }
                continue
            }
            blocks.append(MarkdownExport.fenced(cell.source, info: "lab"))
            var k = 0
            for output in ExportedOutput.outputs(of: record) {
                switch output {
                case .text(let text):
                    blocks.append(MarkdownExport.fenced(text, info: "text"))
                case .image(let figure) where figure.markdown != nil:
                    blocks.append(figure.markdown ?? "")
                case .image(let figure):
                    k += 1
                    let name = "\(baseName)-cell\(record.number)-\(k).svg"
                    figures.append(ExportedFile(name: name, contents: figure.svg))
                    blocks.append("![\(MarkdownExport.escapeLinkText(figure.title))](\(name))")
                case .error(let diagnostic):
                    blocks.append("**Error:**\n\n" + MarkdownExport.fenced(diagnostic, info: "text"))
                }
            }
        }
        switch run.outcome {
        case .completed:
            break
        case .failed(let cell, let line, let message):
            let place = line.map { " at line \($0)" } ?? ""
            blocks.append("> **The run stopped:** cell \(cell) failed\(place): \(message)")
        case .stopped(let cell):
            blocks.append("> **The run was stopped** after cell \(cell).")
        }
        markdown = blocks.joined(separator: "\n\n") + "\n"
        self.figures = figures
    }

    /// `text` in a fence longer than any run of backticks inside it.
    static func fenced(_ text: String, info: String) -> String {
        var longest = 0
        var run = 0
        for c in text {
            run = c == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
        return fence + info + "\n" + body + "\n" + fence
    }

    static func escapeLinkText(_ text: String) -> String {
        var out = ""
        for c in text {
            if "[]\\".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
