import Foundation
import JupyterKernel
import LabBuiltins
import LabScript
import LabSupport
import Notebook

/// The LabScript language behind the Jupyter kernel: one lab session for the kernel's
/// life, run through the same pieces as the REPL and the notebook runner.
///
/// - Code runs through `CodeRunner` (as lesson cells do) in the REPL's scope, so
///   variables persist from cell to cell; prints become `stream`, figures
///   `display_data` (SVG and text), a final value the `execute_result`, a diagnostic the
///   `error` (its traceback the rendered `file:line:col` message with the caret).
/// - Lines starting with `:` are the REPL's meta commands (`:vars`, `:seed 3`, …); a cell
///   `?name` pages the builtin's documentation, as IPython's `name?` does.
/// - Completion is the REPL's `REPLCompleter`, help the registry's, is-complete the parser's.
/// - Training progress bars become one display that `update_display_data` redraws.
/// - A cell starting with an exercise or test marker line (`# %% [test] …`, which
///   `selfsup export EXERCISE.lab --to ipynb` writes) is an exercise cell, recorded for
///   `check()`, or a visible test, run as the grader runs it (`VisibleTest`).
final class LabScriptKernel: KernelBackend {
    let session: ScriptSession
    let host: REPLHost
    let completer: REPLCompleter
    private let runner: CodeRunner
    private var repl: REPL!
    /// The output of the execution now running (nil between executions).
    private var output: ExecutionOutput?

    /// Where the builtins' documentation (`selfsup docs`) is, for the help menu.
    let docsURL: String?

    init(options: CommonOptions, docsURL: String?) {
        self.docsURL = docsURL
        let sink = KernelOutputSink()
        // A notebook shows plain text: no colour, the default width.
        session = options.makeSession(output: sink, terminal: .plain)
        host = REPLHost(session: session)
        host.colour = false
        completer = host.completer
        runner = CodeRunner(session: session)
        repl = REPL(host: host, input: ScriptedLines([])) { [unowned self] text in output?.stream(text) }
        sink.forward = { [unowned self] text in output?.stream(text) }
    }

    var kernelInfo: [String: JSON] {
        [
            "implementation": "selfsup",
            "implementation_version": .string(SelfSupCommand.configuration.version),
            "language_info": .object(LabScriptLanguageInfo.fields.mapValues { .string($0) }
                .merging(["version": .string(SelfSupCommand.configuration.version)]) { $1 }),
            "banner": .string("LabScript (SelfSup Lab \(SelfSupCommand.configuration.version)): "
                              + "?name for a builtin's help, :help for the meta commands"),
            "help_links": docsURL.map { [["text": "LabScript builtins (selfsup docs)", "url": .string($0)]] } ?? [],
            "debugger": false,
        ]
    }

    // MARK: execute

    func execute(_ request: ExecuteRequest, output: ExecutionOutput) -> ExecuteOutcome {
        self.output = output
        defer { self.output = nil }
        let trimmed = request.code.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("?") && !trimmed.contains("\n") {
            return .ok(payload: [page(String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces))])
        }
        if trimmed.hasPrefix(":") {
            host.withInterruptsCancelling { repl.handle(trimmed) }
            return .ok(payload: [])
        }
        let progress = ProgressDisplay(output: output)
        session.context.state.progressSink = { progress.write($0) }
        defer { session.context.state.progressSink = nil }
        var value: Value?
        let file = "In[\(request.executionCount)]"
        let marked = LabScriptKernel.markedCell(request.code, file: file)
        if let marked, marked.kind == .exercise { host.exercise?.record(marked, file: file) }
        let run = host.withInterruptsCancelling {
            if let marked, marked.kind == .test {
                return VisibleTest.run(marked, file: file, runner: runner, over: repl.scope, timeLimit: nil,
                                       onOutput: { [self] in send($0) })
            }
            return runner.run(request.code, file: file, firstLine: 1, in: repl.scope,
                              timeLimit: nil, echo: true, onValue: { value = $0 }, onOutput: { [self] in send($0) })
        }
        if let diagnostic = run.diagnostics.first {
            let rendered = DiagnosticRenderer(color: false).render(run.diagnostics)
            let name: String
            switch diagnostic.kind {
            case .syntax: name = "SyntaxError"
            case .runtime(.cancelled): name = "Interrupted"
            case .runtime(let kind): name = kind == .expectationFailed ? "ExpectationFailed" : "RuntimeError"
            }
            let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            return .error(name: name, value: diagnostic.message,
                          traceback: lines.last == "" ? Array(lines.dropLast()) : lines)
        }
        if let value, let shown = CodeRunner.echoOutput(value) {
            switch shown {
            case .text(let text):
                output.result(["text/plain": .string(text.hasSuffix("\n") ? String(text.dropLast()) : text)])
            case .image(let figure):
                output.result(LabScriptKernel.figureData(figure))
            case .error:
                break
            }
        }
        return .ok(payload: [])
    }

    /// A cell whose code starts with an exercise or test marker line (`# %% [test]
    /// points=2 name="shape"`, as the exercise export writes it): that cell, its lines
    /// counted in the notebook cell. nil for any other code, which runs as it is.
    static func markedCell(_ code: String, file: String) -> Cell? {
        guard code.drop(while: { $0 == "\n" || $0 == " " }).hasPrefix("# %%"),
              let document = try? NotebookDocument(parsing: code, file: file),
              case let cells = document.cells.filter({ !($0.kind == .code && $0.source.isEmpty) }),
              cells.count == 1, let cell = cells.first,
              cell.kind == .exercise || cell.kind == .test else { return nil }
        return cell
    }

    private func send(_ cellOutput: CellOutput) {
        guard let output else { return }
        switch cellOutput {
        case .text(let text): output.stream(text)
        case .image(let figure): output.display(LabScriptKernel.figureData(figure))
        case .error(let text): output.stream(text + "\n", name: "stderr")
        }
    }

    /// A figure as a MIME bundle: a table as HTML with its aligned text; any other chart
    /// as the SVG, and a line of text for clients without images.
    static func figureData(_ figure: Figure) -> [String: JSON] {
        if let html = figure.html {
            return ["text/html": .string(html), "text/plain": .string(figure.terminalText ?? figure.title)]
        }
        return ["image/svg+xml": .string(figure.svg), "text/plain": .string("<Figure: \(figure.title)>")]
    }

    /// The pager payload for `?name`.
    private func page(_ name: String) -> JSON {
        let text = host.help(name) ?? {
            let suggestion = Suggestions.closest(to: name, in: host.builtinNames)
            return "no builtin named '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        }()
        return ["source": "page", "data": ["text/plain": .string(text)], "start": 0]
    }

    func interrupt() {
        session.interpreter.cancellation.cancel()
    }

    // MARK: complete, inspect, is_complete

    func complete(code: String, cursorPosition: Int) -> [String: JSON] {
        let found = KernelCompletion.complete(code: code, cursor: cursorPosition, completer: completer)
        var metadata: [String: JSON] = [:]
        if let hint = found.hint { metadata["signature"] = .string(hint) }
        return ["matches": .array(found.matches.map(JSON.string)), "cursor_start": .int(found.start),
                "cursor_end": .int(found.end), "metadata": .object(metadata)]
    }

    func inspect(code: String, cursorPosition: Int, detailLevel: Int) -> [String: JSON] {
        guard let text = KernelCompletion.inspect(code: code, cursor: cursorPosition, host: host) else {
            return ["found": false, "data": [:], "metadata": [:]]
        }
        return ["found": true, "data": ["text/plain": .string(text)], "metadata": [:]]
    }

    func isComplete(code: String) -> [String: JSON] {
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix(":") || trimmed.hasPrefix("?") { return ["status": "complete"] }
        let parsed = Parser.parse(SourceFile(name: "<input>", text: code))
        if parsed.isIncomplete {
            let lastLine = code.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
            let indent = String(lastLine.prefix { $0 == " " || $0 == "\t" })
            let opens = lastLine.trimmingCharacters(in: .whitespaces).last.map { "{([".contains($0) } ?? false
            return ["status": "incomplete", "indent": .string(indent + (opens ? "    " : ""))]
        }
        return ["status": parsed.diagnostics.isEmpty ? "complete" : "invalid"]
    }
}

/// The session's output: everything a script prints goes to the running execution.
final class KernelOutputSink: OutputSink {
    var forward: (String) -> Void = { _ in }
    func write(_ text: String) { forward(text) }
}
