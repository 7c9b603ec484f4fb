import LabScript
@testable import LabBuiltins

/// Runs a script in a fresh session with every builtin: what it printed, and its
/// diagnostics rendered (nil when it ran without error). Shared by the builtin tests.
func runScript(_ source: String) -> (output: String, error: String?) {
    let sink = BufferOutputSink()
    let session = BuiltinContext(output: sink)
    if case .failure(let diagnostics) = session.run(source, name: "t") {
        return (sink.take(), DiagnosticRenderer().render(diagnostics))
    }
    return (sink.take(), nil)
}
