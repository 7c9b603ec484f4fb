import Foundation
#if os(Linux)
import Synchronization
#endif

/// Limits that turn runaway scripts into errors instead of crashes or hangs.
public struct InterpreterLimits: Sendable {
    /// Nested calls of script functions allowed.
    public var maxCallDepth: Int = 1000
    /// Size of the native stack of the thread each run executes on.
    public var threadStackBytes: Int = 64 << 20
    /// Native stack bytes a run may use: a second guard beside `maxCallDepth` (one call
    /// can hold a deep expression, and debug builds use far bigger frames). Must be well
    /// below `threadStackBytes`.
    public var maxStackBytes: Int = 48 << 20
    /// Largest tensor (in elements) a builtin may create; enforced by the host through
    /// `CallContext.checkElementCount`.
    public var maxElements: Int = 50_000_000
    /// Deepest nesting of lists and records inside each other (printing, comparing and
    /// freeing such values recurses, so unbounded nesting could overflow the stack).
    public var maxValueNesting: Int = 256
    /// Loop iterations plus calls allowed per run (nil = unlimited); for fuzzing and tests.
    public var maxSteps: Int?
    /// Wall-clock seconds allowed per run (nil = unlimited).
    public var maxSeconds: Double?

    public init() {}
}

/// A thread-safe flag: set it from a signal handler or another thread (Ctrl-C) and the
/// interpreter stops at the next loop iteration or call with a `cancelled` error. Host
/// code doing long work can poll `isCancelled` too (or call `CallContext.checkCancellation`).
/// The interpreter clears it when a new top-level run starts. On Linux it is a lock-free
/// `Synchronization.Atomic`, safe to set from a signal handler.
#if os(Linux)
public final class CancellationFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    public var isCancelled: Bool { raised.load(ordering: .relaxed) }
    public func cancel() { raised.store(true, ordering: .relaxed) }
    public func reset() { raised.store(false, ordering: .relaxed) }
}
#else
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    public init() {}

    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }

    public func cancel() {
        lock.lock()
        raised = true
        lock.unlock()
    }

    public func reset() {
        lock.lock()
        raised = false
        lock.unlock()
    }
}
#endif

/// Where `print` writes. The REPL uses standard output; tests and the notebook capture.
public protocol OutputSink: AnyObject {
    func write(_ text: String)
}

/// Writes to standard output, flushing each write.
public final class StandardOutputSink: OutputSink {
    public init() {}
    public func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Collects everything written, for tests and notebooks.
public final class BufferOutputSink: OutputSink {
    public private(set) var text = ""
    public init() {}
    public func write(_ text: String) { self.text += text }
    /// Returns and clears what was collected.
    public func take() -> String {
        defer { text = "" }
        return text
    }
}
