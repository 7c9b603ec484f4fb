import Foundation

/// Where a running execution sends its outputs: iopub messages whose parent is the
/// `execute_request`. A silent execution sends nothing.
public final class ExecutionOutput: @unchecked Sendable {
    let publish: (String, JSON) -> Void
    let silent: Bool
    let executionCount: Int
    /// The text of the `execute_result`, kept for `history_request` with output.
    private(set) var resultText: String?

    init(silent: Bool, executionCount: Int, publish: @escaping (String, JSON) -> Void) {
        self.silent = silent
        self.executionCount = executionCount
        self.publish = publish
    }

    /// `stream`: printed text (`name` stdout or stderr).
    public func stream(_ text: String, name: String = "stdout") {
        guard !silent, !text.isEmpty else { return }
        publish("stream", ["name": .string(name), "text": .string(text)])
    }

    /// `display_data` (or with `update`, `update_display_data` of the same `displayID`).
    public func display(_ data: [String: JSON], metadata: [String: JSON] = [:], displayID: String? = nil,
                        update: Bool = false) {
        guard !silent else { return }
        var content: [String: JSON] = ["data": .object(data), "metadata": .object(metadata)]
        if let displayID { content["transient"] = ["display_id": .string(displayID)] }
        publish(update && displayID != nil ? "update_display_data" : "display_data", .object(content))
    }

    /// `execute_result`: the value of the code's final expression.
    public func result(_ data: [String: JSON], metadata: [String: JSON] = [:]) {
        resultText = data["text/plain"]?.string
        guard !silent else { return }
        publish("execute_result", ["data": .object(data), "metadata": .object(metadata),
                                   "execution_count": .int(executionCount)])
    }
}
