/// A picture a cell produced: SVG for exports, and optionally how it looks in a terminal.
/// A table also carries an HTML and a Markdown form, which exports prefer to the SVG.
public struct Figure: Sendable, Equatable {
    public var title: String
    /// A complete `<svg …>…</svg>` document.
    public var svg: String
    /// The terminal rendering (e.g. a braille plot), printed by the runner; `nil` prints a note.
    public var terminalText: String?
    /// A `<table>` element (tables only): HTML and ipynb exports show this instead of the SVG.
    public var html: String?
    /// A Markdown table (tables only): the Markdown export writes this instead of an SVG file.
    public var markdown: String?

    public init(title: String, svg: String, terminalText: String? = nil, html: String? = nil, markdown: String? = nil) {
        self.title = title
        self.svg = svg
        self.terminalText = terminalText
        self.html = html
        self.markdown = markdown
    }
}

/// One piece of what a cell produced, in order.
public enum CellOutput: Sendable, Equatable {
    /// A chunk of the text stream (print output, progress bars with `\r`), as written.
    case text(String)
    /// A figure (plot, heatmap, image grid).
    case image(Figure)
    /// A diagnostic, fully rendered (`file:line:col: error: …`, the source line, a caret).
    case error(String)
}

/// Why a cell failed: a runtime or parse error, or a failed `expect`.
public struct CellFailure: Sendable, Equatable {
    /// The line in the lesson file (not in the cell) where it failed, when known.
    public var line: Int?
    public var message: String

    public init(line: Int?, message: String) {
        self.line = line
        self.message = message
    }
}

/// What running one cell gave: its outputs, and a failure if it did not finish.
public struct CellResult: Sendable, Equatable {
    public var outputs: [CellOutput]
    public var failure: CellFailure?

    public init(outputs: [CellOutput] = [], failure: CellFailure? = nil) {
        self.outputs = outputs
        self.failure = failure
    }

    public var succeeded: Bool { failure == nil }
}

/// Runs the code of cells, one after another, in one session (variables persist from
/// cell to cell). The notebook knows nothing of the interpreter; LabCLI connects one.
///
/// `file` and `firstLine` place the code in the lesson file, so that a diagnostic at the
/// cell's line k reads `file:(firstLine + k - 1):col`.
public protocol CellExecutor: AnyObject {
    func execute(code: String, file: String, firstLine: Int) -> CellResult

    /// The same, also handing each output to `onOutput` as soon as it is produced (so a
    /// progress bar moves while training). The default runs `execute` and then replays
    /// its outputs; an interpreter that can stream should implement this.
    func execute(code: String, file: String, firstLine: Int,
                 onOutput: (CellOutput) -> Void) -> CellResult

    /// Runs a cell knowing its kind: an executor that knows exercises runs a `[test]` cell
    /// as the grader does and remembers `[exercise]` cells (`InterpreterCellExecutor`).
    /// The default runs the cell's code as any other.
    func execute(cell: Cell, file: String, onOutput: (CellOutput) -> Void) -> CellResult
}

extension CellExecutor {
    public func execute(code: String, file: String, firstLine: Int,
                        onOutput: (CellOutput) -> Void) -> CellResult {
        let result = execute(code: code, file: file, firstLine: firstLine)
        result.outputs.forEach(onOutput)
        return result
    }

    public func execute(cell: Cell, file: String, onOutput: (CellOutput) -> Void) -> CellResult {
        execute(code: cell.source, file: file, firstLine: cell.firstLine, onOutput: onOutput)
    }
}
