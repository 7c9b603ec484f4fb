import Display
import Foundation
import LabBuiltins
import LabScript
import LabSupport

/// What running one piece of code gave: the printed text (in order, as written) and the
/// diagnostics that stopped it (empty when it finished).
public struct CodeRun {
    public var outputs: [CellOutput]
    public var diagnostics: [Diagnostic]
    /// Stopped by its time limit (or by cancellation after the limit passed).
    public var timedOut: Bool
    /// Wall-clock seconds the run took.
    public var seconds: Double

    public var succeeded: Bool { diagnostics.isEmpty }

    /// Everything printed, concatenated.
    public var printedText: String {
        outputs.map { output -> String in
            if case .text(let text) = output { return text }
            return ""
        }.joined()
    }
}

/// Runs code of a file in an interpreter scope, so that diagnostics point into the file.
///
/// A cell knows the file line of its first line; the code is parsed as a source file of
/// the file's name whose text is the cell preceded by `firstLine - 1` empty lines. So a
/// diagnostic reads `file:line:col` with the file's own line number, and the renderer
/// shows the right source line under it, without the parser knowing about offsets.
public struct CodeRunner {
    public let session: ScriptSession
    private let watchdog: Watchdog

    public init(session: ScriptSession) {
        self.session = session
        self.watchdog = Watchdog(flag: session.interpreter.cancellation)
    }

    /// The text the parser sees for a cell starting at `firstLine`.
    public static func placed(_ code: String, firstLine: Int) -> String {
        String(repeating: "\n", count: max(0, firstLine - 1)) + code
    }

    /// Runs `code` (starting at `firstLine` of `file`) in `scope`, stopping it after
    /// `timeLimit` seconds (nil: no limit). Printed text is handed to `onOutput` as it comes.
    ///
    /// With `echo`, the value of a final expression statement is shown as a notebook shows
    /// it: a chart becomes a figure (terminal text now, SVG in exports), any other value
    /// other than nil its printed form.
    ///
    /// `untrusted` marks the code as a learner's (see `SourceFile.isUntrusted`): the
    /// interpreter's `restrictedNames` are refused to it.
    ///
    /// With `onValue` (and `echo`), the final value is handed to it instead of becoming an
    /// output (a Jupyter kernel sends it as the cell's result).
    public func run(_ code: String, file: String, firstLine: Int, in scope: Scope,
                    timeLimit: Double?, echo: Bool = false, untrusted: Bool = false,
                    onValue: ((Value) -> Void)? = nil,
                    onOutput: (CellOutput) -> Void = { _ in }) -> CodeRun {
        withoutActuallyEscaping(onOutput) { onOutput in
            runPlaced(code, file: file, firstLine: firstLine, in: scope, timeLimit: timeLimit, echo: echo,
                      untrusted: untrusted, onValue: onValue, onOutput: onOutput)
        }
    }

    private func runPlaced(_ code: String, file: String, firstLine: Int, in scope: Scope,
                           timeLimit: Double?, echo: Bool, untrusted: Bool, onValue: ((Value) -> Void)?,
                           onOutput: @escaping (CellOutput) -> Void) -> CodeRun {
        let interpreter = session.interpreter
        var outputs: [CellOutput] = []
        let sink = ForwardingSink { text in
            outputs.append(.text(text))
            onOutput(.text(text))
        }
        let savedOutput = interpreter.output
        let savedLimits = interpreter.limits
        interpreter.output = sink
        // What `show` draws becomes a figure of this cell (terminal text now, SVG in exports).
        let state = session.context.state
        let savedFigureSink = state.figureSink
        state.figureSink = { chart in
            let figure = CellOutput.image(Figure(chart, terminalText: chart.render(state.display.terminal)))
            outputs.append(figure)
            onOutput(figure)
        }
        defer { state.figureSink = savedFigureSink }
        if let timeLimit { interpreter.limits.maxSeconds = timeLimit }
        let token = timeLimit.map { watchdog.arm(seconds: $0 + 0.5) }
        let start = ContinuousClock.now
        let placed = CodeRunner.placed(code, firstLine: firstLine)
        var result: RunResult
        if echo {
            let parsed = Parser.parse(SourceFile(name: file, text: placed, isUntrusted: untrusted))
            result = parsed.diagnostics.isEmpty
                ? interpreter.execute(parsed.statements, in: scope, echo: true) : .failure(parsed.diagnostics)
            if case .success(let value?) = result, let onValue {
                onValue(value)
            } else if case .success(let value?) = result, let shown = CodeRunner.echoOutput(value) {
                outputs.append(shown)
                onOutput(shown)
            }
        } else {
            result = interpreter.run(placed, name: file, in: scope, untrusted: untrusted)
        }
        let elapsed = ContinuousClock.now - start
        if let token { watchdog.disarm(token) }
        interpreter.output = savedOutput
        interpreter.limits = savedLimits
        sink.detach()
        let seconds = elapsed.seconds

        var diagnostics: [Diagnostic] = []
        if case .failure(let found) = result { diagnostics = found }
        // Timed out: the interpreter's own time limit, or a stop (the watchdog's cancellation,
        // a builtin's own limit such as train's deadline) after the limit had passed.
        let timedOut = timeLimit.map { limit in
            diagnostics.contains { diagnostic in
                diagnostic.kind == .runtime(.timeLimit)
                    || (diagnostic.kind == .runtime(.cancelled) || diagnostic.kind == .runtime(.limit)) && seconds >= limit
            }
        } ?? false
        if timedOut, let limit = timeLimit {
            diagnostics = diagnostics.map { diagnostic in
                var stopped = diagnostic
                stopped.message = "stopped after the time limit of \(Value.format(limit)) s (an endless loop?)"
                return stopped
            }
        }
        return CodeRun(outputs: outputs, diagnostics: diagnostics, timedOut: timedOut, seconds: seconds)
    }
}

extension CodeRunner {
    /// How a cell's final value is shown: a chart as a figure, nil not at all, anything
    /// else as its printed form.
    public static func echoOutput(_ value: Value) -> CellOutput? {
        switch value {
        case .nilValue:
            return nil
        case .host(let object as ChartValue):
            return .image(Figure(object.chart, terminalText: object.scriptDescription))
        default:
            return .text(value.displayString + "\n")
        }
    }
}

/// An output sink that hands each write to a closure, and ignores writes once detached
/// (a learner's function kept by someone else cannot write into a finished run).
final class ForwardingSink: OutputSink {
    private var forward: ((String) -> Void)?

    init(_ forward: @escaping (String) -> Void) {
        self.forward = forward
    }

    func write(_ text: String) { forward?(text) }
    func detach() { forward = nil }
}
