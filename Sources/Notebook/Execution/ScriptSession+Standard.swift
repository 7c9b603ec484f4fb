import LabScript

extension ScriptSession {
    /// A session with every builtin of the project (what the CLI uses).
    public static func standard(output: any OutputSink, cancellation: CancellationFlag) -> ScriptSession {
        languageOnly(output: output, cancellation: cancellation)
    }
}
