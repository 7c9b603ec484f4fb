import Foundation
import LabSupport
import Testing
@testable import JupyterKernel

/// What the kernel does with its connection file: ipc files, a missing key, an empty key.
@Suite struct KernelStartTests {
    final class NoBackend: KernelBackend {
        var kernelInfo: [String: JSON] { [:] }
        func execute(_ request: ExecuteRequest, output: ExecutionOutput) -> ExecuteOutcome { .ok(payload: []) }
        func complete(code: String, cursorPosition: Int) -> [String: JSON] { [:] }
        func inspect(code: String, cursorPosition: Int, detailLevel: Int) -> [String: JSON] { [:] }
        func isComplete(code: String) -> [String: JSON] { [:] }
        func interrupt() {}
    }

    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
        var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
    }

    let ports = #""shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005"#

    func connectionFile(_ fields: String) throws -> String {
        let path = NSTemporaryDirectory() + "selfsup-connection-\(UUID().uuidString).json"
        try Data(("{" + fields + "}").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A kernel bound to ipc files in a fresh folder (no tcp port to collide with).
    func withKernel(key: String, log: Log = Log(), _ body: (KernelServer, ConnectionInfo) throws -> Void) throws {
        let directory = NSTemporaryDirectory() + "selfsup-ipc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try connectionFile(ports + #", "ip": "\#(directory)/kernel", "transport": "ipc", "key": "\#(key)""#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let info = try ConnectionInfo.load(path: path)
        let server = try KernelServer(connection: info, backend: NoBackend(), log: log.add)
        try body(server, info)
    }

    @Test func theIPCSocketFilesAreRemovedAtExit() throws {
        try withKernel(key: "k") { server, info in
            let files = [5001, 5002, 5003, 5004, 5005].map { info.ipcFile($0) }
            #expect(files.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "the ipc sockets are files")
            server.removeIPCFiles()
            #expect(files.allSatisfy { !FileManager.default.fileExists(atPath: $0) }, "and they are removed at exit")
        }
    }

    @Test func aConnectionFileWithoutKeyIsRefused() throws {
        let path = try connectionFile(ports + #", "ip": "127.0.0.1", "transport": "tcp""#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try ConnectionInfo.load(path: path)
            Issue.record("a connection file without key was accepted")
        } catch {
            #expect(error.description.contains(#"has no "key""#))
            #expect(error.description.contains(#""key": "" turns signing off"#))
        }
    }

    @Test func anEmptyKeyIsAcceptedAndLoggedAsSigningOff() throws {
        let log = Log()
        try withKernel(key: "", log: log) { _, info in
            #expect(info.key == "")
            #expect(log.text.contains("signing off"))
        }
        let signing = Log()
        try withKernel(key: "k", log: signing) { _, _ in
            #expect(!signing.text.contains("signing off"), "a kernel that signs says nothing about it")
        }
    }
}
