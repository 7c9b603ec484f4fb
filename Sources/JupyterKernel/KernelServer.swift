import Foundation
import LabSupport
#if canImport(Glibc)
import Glibc
#endif

/// A Jupyter kernel over ZeroMQ: binds the five sockets of a connection file and serves
/// the messaging protocol 5.3 for a `KernelBackend`.
///
/// Threads: the caller's thread serves shell (executions run there, one at a time); one
/// thread serves control (interrupt, shutdown, kernel_info, even while code runs) and
/// watches the parent process; one echoes heartbeats. iopub is shared behind a lock.
/// Every wait is a poll with a timeout, so an idle kernel sleeps instead of spinning.
///
/// A message that is malformed, wrongly signed, a replay of one already accepted (see
/// `SignatureHistory`) or larger than `KernelLimits.maxMessageBytes` is refused: logged,
/// never handled, and the kernel goes on serving. When the process that started the
/// kernel goes away (the client was killed), the kernel exits instead of waiting forever.
/// With the ipc transport it removes its socket files before it exits.
public final class KernelServer: @unchecked Sendable {
    let backend: KernelBackend
    let codec: WireCodec
    let session = UUID().uuidString.lowercased()
    let log: @Sendable (String) -> Void

    private let context: ZMQContext
    private let shell, control, iopub, stdin, heartbeat: ZMQSocket
    private let iopubLock = NSLock()
    private let stateLock = NSLock()
    private var stopping = false
    private var executionCount = 0
    private var history = KernelHistory()
    private var signatures = SignatureHistory()
    /// The socket files of the ipc transport, removed when the kernel exits.
    private let ipcFiles: [String]
    private let kernelInfo: [String: JSON]
    private let parentPID = getppid()

    /// Seconds between checks of the stop flag and of the parent process.
    static let pollInterval = 0.5

    public init(connection: ConnectionInfo, backend: KernelBackend,
                log: @escaping @Sendable (String) -> Void = KernelServer.logToStandardError) throws(KernelError) {
        self.backend = backend
        self.log = log
        codec = WireCodec(signer: try MessageSigner(key: connection.key, scheme: connection.signatureScheme))
        let ports = [connection.shellPort, connection.controlPort, connection.stdinPort, connection.iopubPort,
                     connection.hbPort]
        ipcFiles = connection.transport == "ipc" ? ports.map { connection.ipcFile($0) } : []
        context = try ZMQContext()
        shell = try ZMQSocket(context, .router)
        control = try ZMQSocket(context, .router)
        stdin = try ZMQSocket(context, .router)
        iopub = try ZMQSocket(context, .pub)
        heartbeat = try ZMQSocket(context, .rep)
        try shell.bind(connection.endpoint(connection.shellPort))
        try control.bind(connection.endpoint(connection.controlPort))
        try stdin.bind(connection.endpoint(connection.stdinPort))
        try iopub.bind(connection.endpoint(connection.iopubPort))
        try heartbeat.bind(connection.endpoint(connection.hbPort))
        kernelInfo = backend.kernelInfo
        if !codec.signer.isSigning {
            log("signing off: the connection file's key is empty, so messages are neither signed nor checked")
        }
    }

    public static let logToStandardError: @Sendable (String) -> Void = { text in
        FileHandle.standardError.write(Data(("selfsup kernel: " + text + "\n").utf8))
    }

    /// Serves until a `shutdown_request`, then returns (the caller exits).
    public func run() {
        Thread { [self] in heartbeatLoop() }.start()
        Thread { [self] in controlLoop() }.start()
        publish("status", ["execution_state": "starting"], parent: nil)
        while !isStopping {
            guard let received = shell.receive(timeout: KernelServer.pollInterval) else { continue }
            guard let message = decode(received, on: "shell") else { continue }
            handleShell(message)
        }
        Thread.sleep(forTimeInterval: 0.2)   // let the last replies leave
        removeIPCFiles()
    }

    /// Removes the ipc transport's socket files (libzmq would only on a clean close,
    /// which an exiting kernel does not wait for). Clients connected stay connected.
    public func removeIPCFiles() {
        for file in ipcFiles { unlink(file) }
    }

    var isStopping: Bool {
        stateLock.lock(); defer { stateLock.unlock() }
        return stopping
    }

    private func decode(_ received: ZMQSocket.Received, on channel: String) -> JupyterMessage? {
        do {
            switch received {
            case .tooLarge(let bytes): throw WireError.tooLarge(bytes)
            case .frames(let frames):
                return try codec.decode(frames) { signature in
                    stateLock.lock(); defer { stateLock.unlock() }
                    return signatures.insert(signature)
                }
            }
        } catch {
            log("refused a message on \(channel): \(error)")
            return nil
        }
    }

    // MARK: sending

    func reply(_ type: String, _ content: JSON, to request: JupyterMessage, on socket: ZMQSocket) {
        let message = JupyterMessage(type: type, content: content, parent: request, session: session,
                                     identities: request.identities)
        if !socket.send(codec.encode(message)) { log("could not send \(type)") }
    }

    func publish(_ type: String, _ content: JSON, parent: JupyterMessage?) {
        var message = JupyterMessage(type: type, content: content, parent: parent, session: session)
        message.identities = [Data("kernel.\(session).\(type)".utf8)]
        let frames = codec.encode(message)
        iopubLock.lock()
        iopub.send(frames)
        iopubLock.unlock()
    }

    // MARK: shell

    private func handleShell(_ message: JupyterMessage) {
        publish("status", ["execution_state": "busy"], parent: message)
        defer { publish("status", ["execution_state": "idle"], parent: message) }
        let content = message.content
        switch message.type {
        case "execute_request":
            execute(message)
        case "complete_request":
            let code = content["code"]?.string ?? ""
            var reply = backend.complete(code: code, cursorPosition: content["cursor_pos"]?.int ?? code.unicodeScalars.count)
            reply["status"] = "ok"
            self.reply("complete_reply", .object(reply), to: message, on: shell)
        case "inspect_request":
            let code = content["code"]?.string ?? ""
            var reply = backend.inspect(code: code, cursorPosition: content["cursor_pos"]?.int ?? code.unicodeScalars.count,
                                        detailLevel: content["detail_level"]?.int ?? 0)
            reply["status"] = "ok"
            self.reply("inspect_reply", .object(reply), to: message, on: shell)
        case "is_complete_request":
            self.reply("is_complete_reply", .object(backend.isComplete(code: content["code"]?.string ?? "")),
                       to: message, on: shell)
        case "history_request":
            self.reply("history_reply", ["status": "ok", "history": history.reply(content)], to: message, on: shell)
        case "comm_info_request":
            self.reply("comm_info_reply", ["status": "ok", "comms": [:]], to: message, on: shell)
        default:
            handleCommon(message, on: shell, channel: "shell")
        }
    }

    /// Runs one execute_request and replies.
    private func execute(_ message: JupyterMessage) {
        let content = message.content
        let code = content["code"]?.string ?? ""
        let silent = content["silent"]?.bool ?? false
        let storeHistory = !silent && (content["store_history"]?.bool ?? true)
        if storeHistory { executionCount += 1 }
        let count = max(executionCount, 1)
        if !silent { publish("execute_input", ["code": .string(code), "execution_count": .int(count)], parent: message) }
        let output = ExecutionOutput(silent: silent, executionCount: count) { [self] type, body in
            publish(type, body, parent: message)
        }
        let request = ExecuteRequest(code: code, silent: silent, storeHistory: storeHistory, executionCount: count)
        let outcome = backend.execute(request, output: output)
        output.finish()   // the printed text still waiting goes out before the error and the reply
        if storeHistory { history.record(line: count, input: code, output: output.resultText) }
        switch outcome {
        case .ok(let payload):
            reply("execute_reply", ["status": "ok", "execution_count": .int(count), "payload": .array(payload),
                                    "user_expressions": [:]], to: message, on: shell)
        case .error(let name, let value, let traceback):
            let error: [String: JSON] = ["ename": .string(name), "evalue": .string(value),
                                         "traceback": .array(traceback.map(JSON.string))]
            if !silent { publish("error", .object(error), parent: message) }
            var replyContent = error
            replyContent["status"] = "error"
            replyContent["execution_count"] = .int(count)
            // What was queued behind the failed cell is taken before the reply goes out,
            // so a request sent after the reply is never mistaken for a queued one.
            let queued = silent || content["stop_on_error"]?.bool == false ? [] : takeQueued()
            reply("execute_reply", .object(replyContent), to: message, on: shell)
            abort(queued)
        }
    }

    /// The messages waiting on shell now.
    private func takeQueued() -> [JupyterMessage] {
        var queued: [JupyterMessage] = []
        while let received = shell.receive(timeout: 0) {
            if let message = decode(received, on: "shell") { queued.append(message) }
        }
        return queued
    }

    /// After a failed execution with `stop_on_error`: the execute_requests that were
    /// waiting are answered `aborted` without running; other requests are served as
    /// usual. (As ipykernel with its default `stop_on_error_timeout` of 0: a request sent
    /// after the error reply, as nbclient sends the next cell, runs.)
    private func abort(_ queued: [JupyterMessage]) {
        for message in queued {
            if message.type == "execute_request" {
                publish("status", ["execution_state": "busy"], parent: message)
                reply("execute_reply", ["status": "aborted", "execution_count": .int(executionCount)],
                      to: message, on: shell)
                publish("status", ["execution_state": "idle"], parent: message)
            } else {
                handleShell(message)
            }
        }
    }

    /// Requests both channels answer: kernel_info and shutdown; anything else is logged.
    private func handleCommon(_ message: JupyterMessage, on socket: ZMQSocket, channel: String) {
        switch message.type {
        case "kernel_info_request":
            var content = kernelInfo
            content["status"] = "ok"
            content["protocol_version"] = .string(JupyterMessage.protocolVersion)
            reply("kernel_info_reply", .object(content), to: message, on: socket)
        case "shutdown_request":
            let restart = message.content["restart"]?.bool ?? false
            reply("shutdown_reply", ["status": "ok", "restart": .bool(restart)], to: message, on: socket)
            publish("shutdown_reply", ["status": "ok", "restart": .bool(restart)], parent: message)
            stop()
        default:
            log("ignored a \(message.type.isEmpty ? "message without a type" : message.type) on \(channel)")
        }
    }

    func stop() {
        stateLock.lock(); stopping = true; stateLock.unlock()
        backend.interrupt()
    }

    // MARK: control and heartbeat

    private func controlLoop() {
        while !isStopping {
            if parentIsGone() {
                log("the process that started the kernel is gone; exiting")
                removeIPCFiles()
                exit(0)
            }
            guard let received = control.receive(timeout: KernelServer.pollInterval) else { continue }
            guard let message = decode(received, on: "control") else { continue }
            publish("status", ["execution_state": "busy"], parent: message)
            switch message.type {
            case "interrupt_request":
                backend.interrupt()
                reply("interrupt_reply", ["status": "ok"], to: message, on: control)
            default:
                handleCommon(message, on: control, channel: "control")
            }
            publish("status", ["execution_state": "idle"], parent: message)
        }
        // A shutdown that came while code runs: the shell thread may be busy for a while.
        Thread.sleep(forTimeInterval: 2)
        removeIPCFiles()
        exit(0)
    }

    /// True once the kernel's parent has exited (the kernel was re-parented), or the
    /// process named by `JPY_PARENT_PID` no longer exists.
    private func parentIsGone() -> Bool {
        if parentPID > 1 && getppid() != parentPID { return true }
        if let text = ProcessInfo.processInfo.environment["JPY_PARENT_PID"], let pid = Int32(text), pid > 1 {
            return kill(pid, 0) != 0 && errno == ESRCH
        }
        return false
    }

    private func heartbeatLoop() {
        while !isStopping {
            switch heartbeat.receive(timeout: KernelServer.pollInterval) {
            case .frames(let frames): heartbeat.send(frames)
            case .tooLarge(let bytes):
                log("refused a heartbeat of \(bytes) bytes")
                heartbeat.send([Data()])   // a REP socket answers every request before the next
            case nil: continue
            }
        }
    }
}
