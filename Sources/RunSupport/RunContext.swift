#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything that belongs to one run rather than to the process, in one value: the
/// largest tensor ops may make, the host's question "stop?", whether ops record the
/// autodiff graph, and the profiler recording the run's ops.
///
/// A host binds it for the duration of a closure (`with(maxElements:isCancelled:)`, by
/// `BuiltinContext` for a script run; `with(gradEnabled:)`, by `withNoGrad`;
/// `OpProfiler.recording`, by `selfsup bench --profile`). Bindings nest, each keeping what
/// it does not change, and are undone when the closure returns. Outside every binding
/// there is no limit beyond what `Int` can count, nothing asks to stop, ops record the
/// graph and nothing is profiled; there is no global state.
///
/// The one place it is kept is a POSIX thread-specific slot: ops read it on every
/// allocation that can grow (the limit), every result (grad mode) and every kernel region
/// (profiling), and a read is one `pthread_getspecific` with no reference counting. It is
/// bound on the thread that runs the ops, which for a script is the interpreter's
/// large-stack thread (`aroundRun`), a plain thread that a binding on the caller's
/// thread would not reach. The workers of `parallelFor` do not see it and never read it:
/// their caller checks the limit, polls cancellation and records the graph.
public final class RunContext {
    /// The largest tensor, in elements, that ops may create.
    public let maxElements: Int
    /// The host's question "stop?", polled by long native work; nil: nothing asks.
    public let isCancelled: (() -> Bool)?
    /// Whether ops record the autodiff graph (false inside `withNoGrad`).
    public let isGradEnabled: Bool
    /// The profiler recording this run's ops, if any (used only on the bound thread).
    @usableFromInline let profiler: OpProfiler?

    init(maxElements: Int, isCancelled: (() -> Bool)?, isGradEnabled: Bool, profiler: OpProfiler?) {
        self.maxElements = maxElements
        self.isCancelled = isCancelled
        self.isGradEnabled = isGradEnabled
        self.profiler = profiler
    }

    @usableFromInline static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// `field` of the context bound on this thread, or `unbound` outside every binding.
    /// The binding holds the context alive, so the read takes no reference.
    @inlinable @inline(__always)
    static func read<R>(_ field: (RunContext) -> R, unbound: R) -> R {
        guard let raw = pthread_getspecific(key) else { return unbound }
        return Unmanaged<RunContext>.fromOpaque(raw)._withUnsafeGuaranteedRef(field)
    }

    /// The largest tensor, in elements, ops may create on this thread (`Int.max` when
    /// no limit is bound).
    @inlinable public static var maxElements: Int { read({ $0.maxElements }, unbound: .max) }

    /// Whether the host asked this thread's run to stop.
    @inlinable public static var isCancellationRequested: Bool {
        read({ $0.isCancelled?() ?? false }, unbound: false)
    }

    /// Whether ops on this thread record the autodiff graph.
    @inlinable public static var isGradEnabled: Bool { read({ $0.isGradEnabled }, unbound: true) }

    /// Whether this thread's ops are being profiled (the check every kernel region makes).
    @inlinable static var isProfiling: Bool { read({ $0.profiler != nil }, unbound: false) }

    /// The profiler of this thread's run (on the recording path only: it takes a reference).
    @usableFromInline static var profiler: OpProfiler? { read({ $0.profiler }, unbound: nil) }

    /// The context bound on this thread, if any.
    private static var bound: RunContext? {
        pthread_getspecific(key).map { Unmanaged<RunContext>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Runs `body` with `context` bound on the current thread.
    private static func binding<T>(_ context: RunContext, _ body: () throws -> T) rethrows -> T {
        let previous = pthread_getspecific(key)
        let retained = Unmanaged.passRetained(context)
        pthread_setspecific(key, retained.toOpaque())
        defer {
            pthread_setspecific(key, previous)
            retained.release()
        }
        return try body()
    }

    /// Runs `body` with a run's bounds: tensors of at most `maxElements` elements, and
    /// `isCancelled` asked by long native work. Grad mode and profiling are kept.
    public static func with<T>(maxElements: Int, isCancelled: (() -> Bool)?, _ body: () throws -> T) rethrows -> T {
        let outer = bound
        return try binding(RunContext(maxElements: maxElements, isCancelled: isCancelled,
                                      isGradEnabled: outer?.isGradEnabled ?? true, profiler: outer?.profiler), body)
    }

    /// Runs `body` with grad mode `enabled` (what `withNoGrad` binds). The bounds and
    /// profiling are kept; when grad mode is already `enabled` nothing is bound.
    public static func with<T>(gradEnabled enabled: Bool, _ body: () throws -> T) rethrows -> T {
        let outer = bound
        if (outer?.isGradEnabled ?? true) == enabled { return try body() }
        return try binding(RunContext(maxElements: outer?.maxElements ?? .max, isCancelled: outer?.isCancelled,
                                      isGradEnabled: enabled, profiler: outer?.profiler), body)
    }

    /// Runs `body` with `profiler` recording this thread's ops (`OpProfiler.recording`).
    static func with<T>(profiler: OpProfiler, _ body: () throws -> T) rethrows -> T {
        let outer = bound
        return try binding(RunContext(maxElements: outer?.maxElements ?? .max, isCancelled: outer?.isCancelled,
                                      isGradEnabled: outer?.isGradEnabled ?? true, profiler: profiler), body)
    }
}
