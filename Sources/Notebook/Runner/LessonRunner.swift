import Foundation
import LabSupport

/// Where a step pause happens: after cell `finished`, before cell `next` (1-based numbers).
public struct StepPoint: Sendable, Equatable {
    public var finished: Int
    public var next: Int
    public var total: Int
}

/// What to do at a step pause.
public enum StepAction: Sendable {
    case proceed
    case quit
}

/// Walks a lesson's cells: prose rendered for the terminal, code shown highlighted and run
/// through a `CellExecutor`, outputs printed as they come. Stops at the first failed cell,
/// naming the cell and the line, except a failed `[test]` cell: that is reported and the
/// run goes on (the run still fails). Hints are not shown. Everything shown is also
/// collected for export.
public final class LessonRunner {
    public struct Options: Sendable {
        public var width: Int
        public var colour: Bool
        /// Show each code cell's source before its output.
        public var showCode: Bool
        /// Render prose cells, and leave a blank line after each cell (off: only what the
        /// code prints, as `selfsup run` shows a script).
        public var showProse: Bool

        public init(width: Int = 80, colour: Bool = false, showCode: Bool = true, showProse: Bool = true) {
            self.width = width
            self.colour = colour
            self.showCode = showCode
            self.showProse = showProse
        }
    }

    public let executor: any CellExecutor
    public var options: Options
    /// Where the terminal text goes (the CLI writes it to standard output).
    public var write: (String) -> Void
    /// Called between cells; `--step` waits for Enter here. `nil` runs straight through.
    public var step: ((StepPoint) -> StepAction)?

    private var atLineStart = true

    public init(executor: any CellExecutor, options: Options = Options(),
                write: @escaping (String) -> Void,
                step: ((StepPoint) -> StepAction)? = nil) {
        self.executor = executor
        self.options = options
        self.write = write
        self.step = step
    }

    /// A sink that writes to standard output immediately.
    public static func writeToStandardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public func run(_ lesson: Lesson) -> LessonRun {
        run(lesson.document, title: lesson.title)
    }

    public func run(_ document: NotebookDocument, title: String? = nil) -> LessonRun {
        let shown = document.cells.enumerated().filter {
            $0.element.kind != .hint && (options.showProse || !$0.element.kind.isProse)
        }
        var records: [CellRecord] = []
        var executed = 0
        var failedTest: RunOutcome?
        for (position, (index, cell)) in shown.enumerated() {
            let number = index + 1
            var record = CellRecord(number: number, cell: cell)
            if cell.kind.isProse {
                emit(TerminalMarkdownRenderer(width: options.width, colour: options.colour).render(cell.source))
            } else {
                if options.showCode { showCode(cell) }
                executed += 1
                record.executionCount = executed
                let result = executor.execute(cell: cell, file: document.file) { [self] output in show(output) }
                record.outputs = result.outputs
                record.failure = result.failure
                if let failure = result.failure, cell.kind == .test {
                    // A failed test is reported and the run goes on to the next test, as grading does.
                    finishLine()
                    let name = Messages.text(cell.metadata["name"] ?? "test")
                    emit(TerminalStyle.red.apply("✗", colour: options.colour) + " " + Messages.text("{name} failed", ["name": name]) + "\n")
                    if failedTest == nil {
                        failedTest = .failed(cell: number, line: failure.line, message: failure.message)
                    }
                } else if let failure = result.failure {
                    records.append(record)
                    finishLine()
                    let place = failure.line.map { "\(document.file):\($0)" } ?? document.file
                    emit(TerminalStyle.red.apply("error:", colour: options.colour)
                         + " " + Messages.text("cell {number} failed at {place}: {message}",
                                               ["number": String(number), "place": place, "message": failure.message]) + "\n")
                    return LessonRun(file: document.file, title: title, records: records,
                                     outcome: .failed(cell: number, line: failure.line, message: failure.message))
                }
            }
            records.append(record)
            finishLine()
            if options.showProse { emit("\n") }
            if let step, position + 1 < shown.count {
                let point = StepPoint(finished: number, next: shown[position + 1].offset + 1,
                                      total: document.cells.count)
                if step(point) == .quit {
                    return LessonRun(file: document.file, title: title, records: records,
                                     outcome: .stopped(afterCell: number))
                }
            }
        }
        return LessonRun(file: document.file, title: title, records: records, outcome: failedTest ?? .completed)
    }

    /// The code with file line numbers in a gutter: ` 12 │ code`.
    private func showCode(_ cell: Cell) {
        let lines = LabScriptHighlighter.terminalLines(cell.source, colour: options.colour)
        let last = cell.firstLine + lines.count - 1
        let gutterWidth = String(last).count
        let bar = options.colour ? "│" : "|"
        for (k, line) in lines.enumerated() {
            let n = String(cell.firstLine + k)
            let gutter = String(repeating: " ", count: gutterWidth - n.count) + n + " " + bar
            emit(TerminalStyle.grey.apply(gutter, colour: options.colour) + (line.isEmpty ? "" : " " + line) + "\n")
        }
    }

    private func show(_ output: CellOutput) {
        switch output {
        case .text(let text):
            emit(text)
        case .image(let figure):
            finishLine()
            if let terminal = figure.terminalText {
                emit(terminal.hasSuffix("\n") ? terminal : terminal + "\n")
            } else {
                emit(TerminalStyle.grey.apply("[figure: \(figure.title)]", colour: options.colour) + "\n")
            }
        case .error(let diagnostic):
            finishLine()
            emit(diagnostic.hasSuffix("\n") ? diagnostic : diagnostic + "\n")
        }
    }

    private func finishLine() {
        if !atLineStart { emit("\n") }
    }

    private func emit(_ text: String) {
        guard !text.isEmpty else { return }
        write(text)
        atLineStart = text.hasSuffix("\n")
    }
}
