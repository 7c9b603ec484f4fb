#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a host binds on the thread of a run: the element limit and the question "stop?".
/// Kept in a POSIX thread-specific slot (one pointer read per check); bindings nest and
/// are undone when `with` returns.
public final class RunBounds {
    public let maxElements: Int
    public let isCancelled: (() -> Bool)?

    init(maxElements: Int, isCancelled: (() -> Bool)?) {
        self.maxElements = maxElements
        self.isCancelled = isCancelled
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The bounds bound on this thread, if any (read by TensorCore's `ElementLimit` and
    /// `OperationCancellation`).
    public static var current: RunBounds? {
        pthread_getspecific(key).map { Unmanaged<RunBounds>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Runs `body` with these bounds on the current thread.
    public static func with<T>(maxElements: Int, isCancelled: (() -> Bool)?, _ body: () throws -> T) rethrows -> T {
        let previous = pthread_getspecific(key)
        let bounds = Unmanaged.passRetained(RunBounds(maxElements: maxElements, isCancelled: isCancelled))
        pthread_setspecific(key, bounds.toOpaque())
        defer {
            pthread_setspecific(key, previous)
            bounds.release()
        }
        return try body()
    }
}
