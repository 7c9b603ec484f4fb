import Foundation
import LabSupport

/// A run lesson as a Jupyter notebook, nbformat 4.5: markdown and code cells with ids,
/// `stream` outputs for text, `display_data` with `image/svg+xml` for figures (`text/html`
/// and `text/plain` for tables), `error`
/// outputs for diagnostics, and a "labscript" kernelspec and language_info.
public enum JupyterExport {
    public static func notebook(_ run: LessonRun) -> JSON {
        var cells: [JSON] = []
        for record in run.records {
            let cell = record.cell
            let metadata = cellMetadata(cell)
            if cell.kind.isProse {
                cells.append(.object([
                    "cell_type": .string("markdown"),
                    "id": .string("cell-\(record.number)"),
                    "metadata": .object(metadata),
                    "source": lines(MarkdownSoftBreaks.joinedForChinese(cell.source)),
                ]))
            } else {
                cells.append(.object([
                    "cell_type": .string("code"),
                    "execution_count": record.executionCount.map { .int($0) } ?? .null,
                    "id": .string("cell-\(record.number)"),
                    "metadata": .object(metadata),
                    "outputs": .array(ExportedOutput.outputs(of: record).map(output)),
                    "source": lines(cell.source),
                ]))
            }
        }
        return .object([
            "cells": .array(cells),
            "metadata": notebookMetadata(source: run.file),
            "nbformat": .int(4),
            "nbformat_minor": .int(5),
        ])
    }

    /// The notebook's metadata: the kernelspec `selfsup kernel install` writes for the
    /// notebook's language ("labscript", or "labscript-zh" for a Chinese twin),
    /// the language, the human language its prose is in (`en`, `zh-CN`: the twin folder it
    /// comes from), the name of the `.lab` file it came from (its name only: a path would
    /// carry the exporting machine's folders into every copy handed out) and, for an
    /// exercise, the exercise (`02-nt-xent`) that `selfsup grade` grades it as.
    static func notebookMetadata(source: String, exercise: String? = nil) -> JSON {
        let language = LessonTranslation.language(ofFile: source)
        var selfsup: [String: JSON] = ["source": .string(URL(fileURLWithPath: source).lastPathComponent),
                                            "language": .string(HTMLExport.htmlLanguage(language))]
        if let exercise { selfsup["exercise"] = .string(exercise) }
        return .object([
            "kernelspec": .object([
                "display_name": .string(LabScriptKernelSpec.displayName(language)),
                "language": .string("labscript"),
                "name": .string(LabScriptKernelSpec.name(language)),
            ]),
            "language_info": .object(LabScriptLanguageInfo.fields.mapValues { .string($0) }),
            "selfsup": .object(selfsup),
        ])
    }

    /// A cell's notebook metadata: its kind and marker metadata under `selfsup` (what
    /// `JupyterNotebookReader` reads back), unless it is a plain code or markdown cell.
    static func cellMetadata(_ cell: Cell) -> [String: JSON] {
        guard cell.kind != .code && cell.kind != .markdown || !cell.metadata.isEmpty else { return [:] }
        var selfsup: [String: JSON] = ["kind": .string(cell.kind.rawValue)]
        for (key, value) in cell.metadata.entries { selfsup[key] = .string(value) }
        return ["selfsup": .object(selfsup)]
    }

    /// The notebook's JSON text (keys sorted, so the same run gives the same bytes).
    public static func text(_ run: LessonRun) -> String {
        notebook(run).serialized()
    }

    static func output(_ output: ExportedOutput) -> JSON {
        switch output {
        case .text(let text):
            return .object(["name": .string("stdout"), "output_type": .string("stream"), "text": lines(text)])
        case .image(let figure) where figure.html != nil:
            return .object([
                "data": .object([
                    "text/html": lines(figure.html ?? ""),
                    "text/plain": lines(ExportedOutput.terminalText(figure.terminalText ?? figure.title)),
                ]),
                "metadata": .object([:]),
                "output_type": .string("display_data"),
            ])
        case .image(let figure):
            return .object([
                "data": .object([
                    "image/svg+xml": lines(inlineSVG(figure.svg)),
                    "text/plain": lines("<Figure: \(figure.title)>"),
                ]),
                "metadata": .object([:]),
                "output_type": .string("display_data"),
            ])
        case .error(let diagnostic):
            let firstLine = diagnostic.split(separator: "\n").first.map(String.init) ?? diagnostic
            return .object([
                "ename": .string("LabScriptError"),
                "evalue": .string(firstLine),
                "output_type": .string("error"),
                "traceback": .array(diagnostic.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { .string(String($0)) }),
            ])
        }
    }

    /// Text as Jupyter stores it: a list of lines, each but the last keeping its `\n`.
    static func lines(_ text: String) -> JSON {
        var out: [JSON] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            current.append(scalar)
            if scalar == "\n" {
                out.append(.string(String(current)))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { out.append(.string(String(current))) }
        return .array(out)
    }
}

/// LabScript as Jupyter describes a language (`language_info`): the one definition that the
/// kernel's `kernel_info_reply` and the ipynb export's notebook metadata both write, so a
/// notebook is highlighted the same before its kernel starts (JupyterLab reads the
/// notebook's metadata) and after (it replaces that with the kernel's).
public enum LabScriptLanguageInfo {
    /// The CodeMirror mode JupyterLab highlights LabScript cells with: one it ships, as a
    /// LabScript mode would need a JupyterLab extension. Ruby's is the closest fit: `#`
    /// comments (the `# %%` marker lines too), double-quoted strings, numbers with
    /// exponents, and the keywords `if else for in while break return and or not true false
    /// nil`; named arguments (`axis: 1`) show as labels, and `/` stays division.
    /// Left plain: `fn` and `continue`. Python's mode, the runner-up, leaves `true`, `false`
    /// and `nil` plain and colours only the builtins Python shares (`print`, `sum`).
    public static let codemirrorMode = "ruby"

    /// Every field but `version`, which only the kernel (the running program) knows.
    public static let fields: [String: String] = [
        "name": "labscript",
        "mimetype": "text/x-labscript",
        "file_extension": ".lab",
        "codemirror_mode": codemirrorMode,
        "pygments_lexer": "text",
        "nbconvert_exporter": "script",
    ]
}

/// The kernelspec of each language: the name `selfsup kernel install --lang` gives its folder
/// and the name Jupyter shows, which exported notebooks ask for.
public enum LabScriptKernelSpec {
    public static func name(_ language: Language) -> String {
        language == .en ? "labscript" : "labscript-" + language.rawValue
    }
    public static func displayName(_ language: Language) -> String {
        language == .zh ? "LabScript（中文）" : "LabScript (SelfSup Lab)"
    }
}
