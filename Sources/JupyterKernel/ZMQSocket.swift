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
        case router, pub, rep, dealer

        var raw: Int32 {
            switch self {
            case .router: return ZMQ_ROUTER
            case .pub: return ZMQ_PUB
            case .rep: return ZMQ_REP
            case .dealer: return ZMQ_DEALER
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
        // libzmq refuses a larger frame from its length prefix, before buffering any of it.
        var largest = Int64(KernelLimits.maxMessageBytes)
        guard zmq_setsockopt(handle, ZMQ_MAXMSGSIZE, &largest, MemoryLayout<Int64>.size) == 0 else {
            zmq_close(handle)
            throw KernelError.zmq("cannot limit the message size: \(ZMQContext.lastError())")
        }
    }

    deinit { zmq_close(handle) }

    /// Connects to an endpoint (as a client does; the kernel itself only binds).
    public func connect(_ endpoint: String) throws(KernelError) {
        guard zmq_connect(handle, endpoint) == 0 else {
            throw KernelError.zmq("cannot connect to \(endpoint): \(ZMQContext.lastError())")
        }
    }

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

    /// What `receive` got.
    public enum Received {
        case frames([Data])
        /// A message over `KernelLimits.maxMessageBytes` (all frames together), read and
        /// dropped frame by frame: at most the limit is ever held.
        case tooLarge(bytes: Int)
    }

    /// Receives one whole multipart message, waiting at most `timeout` seconds; nil if
    /// none came (or the wait was interrupted by a signal).
    public func receive(timeout: Double) -> Received? {
        guard wait(timeout: timeout) else { return nil }
        var frames: [Data] = []
        var total = 0
        while true {
            var message = zmq_msg_t()
            zmq_msg_init(&message)
            defer { zmq_msg_close(&message) }
            var rc: Int32
            repeat { rc = zmq_msg_recv(&message, handle, 0) } while rc < 0 && zmq_errno() == EINTR
            guard rc >= 0 else { return total > 0 || !frames.isEmpty ? finished(frames, total) : nil }
            let size = zmq_msg_size(&message)
            total += size
            if total <= KernelLimits.maxMessageBytes {
                frames.append(size == 0 ? Data() : Data(bytes: zmq_msg_data(&message), count: size))
            } else {
                frames = []   // over the limit: the rest is read and dropped
            }
            if zmq_msg_more(&message) == 0 { return finished(frames, total) }
        }
    }

    private func finished(_ frames: [Data], _ total: Int) -> Received {
        total > KernelLimits.maxMessageBytes ? .tooLarge(bytes: total) : .frames(frames)
    }

    /// Whether a message is waiting, blocking up to `timeout` seconds (0: just look).
    public func wait(timeout: Double) -> Bool {
        var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        let rc = zmq_poll(&item, 1, Int(timeout * 1000))
        return rc > 0 && item.revents & Int16(ZMQ_POLLIN) != 0
    }
}
