import LabSupport

/// What a language gives the kernel: its description and the answers to the shell
/// requests. The `KernelServer` owns the sockets, the signing, the status messages and
/// the history; a backend only runs code and answers questions about it.
///
/// Every method but `interrupt` runs on the shell thread, one request at a time.
public protocol KernelBackend: AnyObject {
    /// The `kernel_info_reply` fields that describe the language and the implementation:
    /// `implementation`, `implementation_version`, `language_info`, `banner`, `help_links`.
    var kernelInfo: [String: JSON] { get }

    /// Runs `request.code`, sending what it prints and shows through `output` as it comes.
    func execute(_ request: ExecuteRequest, output: ExecutionOutput) -> ExecuteOutcome

    /// `complete_reply` content (without `status`): `matches`, `cursor_start`, `cursor_end`, `metadata`.
    func complete(code: String, cursorPosition: Int) -> [String: JSON]

    /// `inspect_reply` content (without `status`): `found`, `data`, `metadata`.
    func inspect(code: String, cursorPosition: Int, detailLevel: Int) -> [String: JSON]

    /// `is_complete_reply` content: `status` (complete, incomplete, invalid, unknown) and `indent`.
    func isComplete(code: String) -> [String: JSON]

    /// Stops the running execution soon (called from the control thread).
    func interrupt()
}

/// One `execute_request`, with the execution count it runs under.
public struct ExecuteRequest: Sendable {
    public var code: String
    public var silent: Bool
    public var storeHistory: Bool
    public var executionCount: Int
}

/// How an execution ended.
public enum ExecuteOutcome: Sendable {
    /// It finished; `payload` is the reply's payload list (e.g. a pager page).
    case ok(payload: [JSON])
    /// It failed: the error output and reply carry these.
    case error(name: String, value: String, traceback: [String])
}
