import Foundation
import LabSupport
import Testing
@testable import JupyterKernel

/// Printed text is batched into few `stream` messages, without changing the order of
/// the outputs.
@Suite struct StreamBatchingTests {
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [(type: String, content: JSON)] = []
        func record(_ type: String, _ content: JSON) { lock.lock(); recorded.append((type, content)); lock.unlock() }
        var messages: [(type: String, content: JSON)] { lock.lock(); defer { lock.unlock() }; return recorded }
    }

    /// An output whose timer never fires within a test: only size and order flush it.
    func output(_ recorder: Recorder, flushBytes: Int = KernelLimits.streamFlushBytes) -> ExecutionOutput {
        ExecutionOutput(silent: false, executionCount: 1, flushInterval: 3600, flushBytes: flushBytes,
                        publish: recorder.record)
    }

    @Test func manyPrintsBecomeFewMessagesInOrder() {
        let recorder = Recorder()
        let out = output(recorder)
        for n in 0..<1000 { out.stream("\(n)\n") }
        out.display(["text/plain": "a figure"])
        for n in 1000..<1500 { out.stream("\(n)\n") }
        out.stream("oops\n", name: "stderr")
        out.stream("after\n")
        out.result(["text/plain": "7"])
        out.stream("tail\n")
        out.finish()
        let messages = recorder.messages
        #expect(messages.map(\.type) == ["stream", "display_data", "stream", "stream", "stream", "execute_result",
                                         "stream"])
        let texts = messages.map { $0.content["text"]?.string }
        #expect(texts[0] == (0..<1000).map { "\($0)\n" }.joined())
        #expect(texts[2] == (1000..<1500).map { "\($0)\n" }.joined())
        #expect(messages[3].content["name"] == "stderr" && texts[3] == "oops\n")
        #expect(messages[4].content["name"] == "stdout" && texts[4] == "after\n")
        #expect(texts[6] == "tail\n", "finish sends what still waits")
    }

    @Test func aFullBufferIsSentWithoutWaiting() {
        let recorder = Recorder()
        let out = output(recorder, flushBytes: 100)
        let line = String(repeating: "x", count: 9) + "\n"   // 10 bytes
        for _ in 0..<95 { out.stream(line) }
        // 95 lines: 9 messages of 10 lines went out when 100 bytes waited; 5 lines wait.
        #expect(recorder.messages.count == 9)
        #expect(recorder.messages.allSatisfy { $0.content["text"]?.string == String(repeating: line, count: 10) })
        out.finish()
        #expect(recorder.messages.count == 10)
        #expect(recorder.messages.last?.content["text"]?.string == String(repeating: line, count: 5))
    }

    @Test func theTimerSendsTextThatWaits() {
        let recorder = Recorder()
        let out = ExecutionOutput(silent: false, executionCount: 1, flushInterval: 0.01, flushBytes: 1 << 20,
                                  publish: recorder.record)
        out.stream("waiting\n")
        // No finish: only the timer can send it. Waits for it, however busy the machine.
        let deadline = Date().addingTimeInterval(60)
        while recorder.messages.isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        #expect(recorder.messages.map { $0.content["text"]?.string } == ["waiting\n"])
        out.finish()
        #expect(recorder.messages.count == 1, "nothing is sent twice")
    }

    @Test func aSilentExecutionSendsNothing() {
        let recorder = Recorder()
        let out = ExecutionOutput(silent: true, executionCount: 1, flushInterval: 0.001, publish: recorder.record)
        out.stream("quiet\n")
        out.display(["text/plain": "x"])
        out.finish()
        #expect(recorder.messages.isEmpty)
    }
}
