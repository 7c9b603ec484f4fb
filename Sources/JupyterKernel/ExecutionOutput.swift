import Foundation
import LabSupport

/// Where a running execution sends its outputs: iopub messages whose parent is the
/// `execute_request`. A silent execution sends nothing.
///
/// Printed text is batched, as ipykernel does: it waits at most `flushInterval` seconds
/// (or until `flushBytes` wait) and goes out as one `stream` message, so a loop of
/// 200,000 prints is a few dozen messages instead of 200,000. Order is kept: waiting text
/// is sent before any display or result, when the stream name changes, and at `finish`
/// (before the server's error output and reply). Every message leaves under one lock, so
/// the timer's flush and the execution's own outputs never cross.
public final class ExecutionOutput: @unchecked Sendable {
    let publish: (String, JSON) -> Void
    let silent: Bool
    let executionCount: Int
    let flushInterval: Double
    let flushBytes: Int
    /// The text of the `execute_result`, kept for `history_request` with output.
    private(set) var resultText: String?

    private let lock = NSLock()
    private var pending = ""
    private var pendingName = "stdout"
    private var pendingBytes = 0
    /// Bumped at every flush, so that a timer set for text already sent does nothing.
    private var flushes = 0
    private var finished = false

    init(silent: Bool, executionCount: Int, flushInterval: Double = KernelLimits.streamFlushInterval,
         flushBytes: Int = KernelLimits.streamFlushBytes, publish: @escaping (String, JSON) -> Void) {
        self.silent = silent
        self.executionCount = executionCount
        self.flushInterval = flushInterval
        self.flushBytes = flushBytes
        self.publish = publish
    }

    /// `stream`: printed text (`name` stdout or stderr).
    public func stream(_ text: String, name: String = "stdout") {
        guard !silent, !text.isEmpty else { return }
        lock.lock(); defer { lock.unlock() }
        if finished {   // nothing should print after the execution; if it does, it is not lost
            publish("stream", ["name": .string(name), "text": .string(text)])
            return
        }
        if !pending.isEmpty && name != pendingName { flushLocked() }
        let wasEmpty = pending.isEmpty
        pendingName = name
        pending += text
        pendingBytes += text.utf8.count
        if pendingBytes >= flushBytes {
            flushLocked()
        } else if wasEmpty {
            let due = flushes
            DispatchQueue.global().asyncAfter(deadline: .now() + flushInterval) { [weak self] in
                self?.timerFired(due)
            }
        }
    }

    /// `display_data` (or with `update`, `update_display_data` of the same `displayID`).
    public func display(_ data: [String: JSON], metadata: [String: JSON] = [:], displayID: String? = nil,
                        update: Bool = false) {
        guard !silent else { return }
        var content: [String: JSON] = ["data": .object(data), "metadata": .object(metadata)]
        if let displayID { content["transient"] = ["display_id": .string(displayID)] }
        lock.lock(); defer { lock.unlock() }
        flushLocked()
        publish(update && displayID != nil ? "update_display_data" : "display_data", .object(content))
    }

    /// `execute_result`: the value of the code's final expression.
    public func result(_ data: [String: JSON], metadata: [String: JSON] = [:]) {
        resultText = data["text/plain"]?.string
        guard !silent else { return }
        lock.lock(); defer { lock.unlock() }
        flushLocked()
        publish("execute_result", ["data": .object(data), "metadata": .object(metadata),
                                   "execution_count": .int(executionCount)])
    }

    /// Sends the text still waiting; the server calls it when the execution returns.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        flushLocked()
        finished = true
    }

    private func timerFired(_ due: Int) {
        lock.lock(); defer { lock.unlock() }
        if flushes == due { flushLocked() }
    }

    private func flushLocked() {
        guard !pending.isEmpty else { return }
        publish("stream", ["name": .string(pendingName), "text": .string(pending)])
        pending = ""
        pendingBytes = 0
        flushes += 1
    }
}
