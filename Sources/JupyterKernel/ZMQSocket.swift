import CZMQ
import Foundation

/// A ZeroMQ context (libzmq): owns the I/O threads of every socket made from it.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    public init() throws(KernelError) {
        guard let handle = zmq_ctx_new() else { throw KernelError.zmq(ZMQContext.lastError()) }
        self.handle = handle
    }

    deinit { zmq_ctx_term(handle) }

    static func lastError() -> String { String(cString: zmq_strerror(zmq_errno())) }
}

/// One ZeroMQ socket, used from one thread at a time (the kernel gives each socket to one
/// thread, and guards the shared iopub socket with a lock). Multipart messages are lists
/// of frames.
public final class ZMQSocket: @unchecked Sendable {
    public enum Kind {
        case router, pub, rep

        var raw: Int32 {
            switch self {
            case .router: return ZMQ_ROUTER
            case .pub: return ZMQ_PUB
            case .rep: return ZMQ_REP
            }
        }
    }

    let handle: UnsafeMutableRawPointer
    private let context: ZMQContext   // kept alive while the socket lives

    public init(_ context: ZMQContext, _ kind: Kind) throws(KernelError) {
        guard let handle = zmq_socket(context.handle, kind.raw) else { throw KernelError.zmq(ZMQContext.lastError()) }
        self.handle = handle
        self.context = context
        var linger: Int32 = 1000   // at close, wait at most 1 s for unsent messages
        zmq_setsockopt(handle, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
    }

    deinit { zmq_close(handle) }

    public func bind(_ endpoint: String) throws(KernelError) {
        guard zmq_bind(handle, endpoint) == 0 else {
            throw KernelError.zmq("cannot bind \(endpoint): \(ZMQContext.lastError())")
        }
    }

    /// Sends the frames as one multipart message. Returns false if libzmq refused it.
    @discardableResult
    public func send(_ frames: [Data]) -> Bool {
        for (n, frame) in frames.enumerated() {
            let flags = n + 1 < frames.count ? ZMQ_SNDMORE : 0
            let sent = frame.withUnsafeBytes { buffer -> Int32 in
                while true {
                    let rc = zmq_send(handle, buffer.baseAddress, buffer.count, flags)
                    if rc >= 0 || zmq_errno() != EINTR { return rc }
                }
            }
            if sent < 0 { return false }
        }
        return true
    }

    /// Receives one whole multipart message, waiting at most `timeout` seconds; nil if
    /// none came (or the wait was interrupted by a signal).
    public func receive(timeout: Double) -> [Data]? {
        guard wait(timeout: timeout) else { return nil }
        var frames: [Data] = []
        while true {
            var message = zmq_msg_t()
            zmq_msg_init(&message)
            defer { zmq_msg_close(&message) }
            var rc: Int32
            repeat { rc = zmq_msg_recv(&message, handle, 0) } while rc < 0 && zmq_errno() == EINTR
            guard rc >= 0 else { return frames.isEmpty ? nil : frames }
            let size = zmq_msg_size(&message)
            frames.append(size == 0 ? Data() : Data(bytes: zmq_msg_data(&message), count: size))
            if zmq_msg_more(&message) == 0 { return frames }
        }
    }

    /// Whether a message is waiting, blocking up to `timeout` seconds (0: just look).
    public func wait(timeout: Double) -> Bool {
        var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        let rc = zmq_poll(&item, 1, Int(timeout * 1000))
        return rc > 0 && item.revents & Int16(ZMQ_POLLIN) != 0
    }
}
