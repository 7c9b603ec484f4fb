import Display
import Foundation
import LabBuiltins
import LabScript
import Notebook
import TensorCore

/// Makes the lab session every command runs LabScript in.
enum Session {
    /// A session writing to standard output, with the terminal's colour and width, the
    /// options' seed and thread count, and the constant `quick` that lessons read.
    static func make(_ options: CommonOptions, output: any OutputSink = StandardOutputSink()) -> BuiltinContext {
        make(seed: options.seed, quick: options.quick, threads: options.threads, output: output)
    }

    static func make(seed: UInt64 = BuiltinState.defaultSeed, quick: Bool = false, threads: Int = 1,
                     output: any OutputSink = StandardOutputSink()) -> BuiltinContext {
        setThreads(max(1, threads))
        let display = DisplaySettings(terminal: TerminalCapabilities.detect())
        let context = BuiltinContext(output: output, seed: seed, display: display)
        context.interpreter.defineBuiltin("quick", .bool(quick))
        _ = ScriptSession(context)   // the exercise builtins, with help and docs (`ExerciseBuiltins`)
        return context
    }

    /// Prints rendered diagnostics to standard error.
    static func report(_ diagnostics: [Diagnostic], colour: Bool) {
        let renderer = DiagnosticRenderer(color: colour)
        for diagnostic in diagnostics {
            FileHandle.standardError.write(Data((renderer.render(diagnostic) + "\n").utf8))
        }
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
