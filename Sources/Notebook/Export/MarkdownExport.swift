import Display

/// A file an export writes besides its main document (an SVG figure).
public struct ExportedFile: Sendable, Equatable {
    public var name: String
    public var contents: String
}

/// A run lesson as Markdown: prose re-rendered from its parsed tree (`MarkdownTextRenderer`:
/// what the HTML export shows, no raw HTML, links only as `MarkdownLinkPolicy` allows),
/// code fenced as `lab`, text outputs fenced, figures as SVG files beside the `.md` and
/// linked from it, tables as Markdown tables. Everything the code shows outside a fence
/// (figure titles, table cells, the "run stopped" message) goes through `markdownEscape`.
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
                let prose = MarkdownTextRenderer.render(cell.source)
                if !prose.isEmpty { blocks.append(prose) }
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
                    blocks.append("![\(markdownEscape(figure.title))](\(MarkdownExport.relativeLink(to: name)))")
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
            blocks.append("> **The run stopped:** cell \(cell) failed\(place): \(markdownEscape(message))")
        case .stopped(let cell):
            blocks.append("> **The run was stopped** after cell \(cell).")
        }
        markdown = blocks.joined(separator: "\n\n") + "\n"
        self.figures = figures
    }

    /// `text` in a fence longer than any run of backticks inside it.
    static func fenced(_ text: String, info: String) -> String {
        MarkdownTextRenderer.fencedCode(text, info: info)
    }

    /// A link to a file beside the document: `./` and the name percent-encoded but for
    /// unreserved characters, so a name with spaces, brackets or a colon (the export's own
    /// file name, chosen by whoever runs it) can neither end the link nor read as a scheme,
    /// even once decoded.
    static func relativeLink(to name: String) -> String {
        var out = "./"
        for byte in name.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "-._~".contains(c)) {
                out.append(c)
            } else {
                out += "%" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
