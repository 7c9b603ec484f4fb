import Display
import Foundation
import LabBuiltins
import LabScript
import Notebook
import TensorCore

extension CommonOptions {
    /// The session a command runs LabScript in (`ScriptSession`, through its one
    /// initialiser, as the grader's and the kernel's sessions are made): the options' seed,
    /// the constant `quick` that lessons read, the terminal's colour and width (or `terminal`,
    /// e.g. plain text for an export). Also sets the process's thread count (`setThreads`),
    /// which is not the session's but the process's.
    func makeSession(output: any OutputSink = StandardOutputSink(),
                     terminal: TerminalCapabilities = TerminalCapabilities.detect()) -> ScriptSession {
        setThreads(max(1, threads))
        return ScriptSession(ScriptSession.Options(seed: seed, quick: quick, display: DisplaySettings(terminal: terminal)),
                             output: output)
    }
}

/// Prints rendered diagnostics to standard error.
func reportDiagnostics(_ diagnostics: [Diagnostic], colour: Bool) {
    let renderer = DiagnosticRenderer(color: colour)
    for diagnostic in diagnostics {
        FileHandle.standardError.write(Data((renderer.render(diagnostic) + "\n").utf8))
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
