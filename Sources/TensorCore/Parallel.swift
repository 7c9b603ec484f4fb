import Dispatch

/// Deterministic data parallelism for the data sets and augmentations.

/// Runs `body(i)` for every `i` in `0..<count`, split into contiguous chunks over at most
/// `threads` threads. Each index is handled exactly once; callers make the work for index
/// `i` depend only on `i` (pre-drawn seeds), so results do not depend on `threads`.
public func parallelFor(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    let workers = max(1, min(threads, count))
    if workers == 1 {
        for i in 0..<count { body(i) }
        return
    }
    let chunk = (count + workers - 1) / workers
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        let start = w * chunk
        let end = min(count, start + chunk)
        if start < end { for i in start..<end { body(i) } }
    }
}

/// Runs `body(part, worker)` for every part in `0..<parts` on at most `threads` workers,
/// worker w taking a contiguous run of parts, so a worker can reuse its own scratch
/// buffers (indexed by `worker`) across its parts. What a part computes must depend only
/// on the part, never on the worker or the thread count.
func parallelParts(_ parts: Int, threads: Int, _ body: @Sendable (_ part: Int, _ worker: Int) -> Void) {
    let workers = max(1, min(threads, parts))
    parallelFor(workers, threads: workers) { w in
        for part in (parts * w / workers)..<(parts * (w + 1) / workers) { body(part, w) }
    }
}

/// The `index`-th of `parts` contiguous, near-equal ranges of `0..<count`.
func partRange(_ index: Int, of parts: Int, count: Int) -> Range<Int> {
    (count * index / parts)..<(count * (index + 1) / parts)
}

/// Raw pointers handed to parallel workers, which read them (or write them at disjoint
/// indices) while the caller waits.
struct SendablePointer<T>: @unchecked Sendable {
    let p: UnsafePointer<T>
    init(_ p: UnsafePointer<T>) { self.p = p }
}
struct SendableMutablePointer<T>: @unchecked Sendable {
    let p: UnsafeMutablePointer<T>
    init(_ p: UnsafeMutablePointer<T>) { self.p = p }
}

/// A raw pointer that parallel workers write through at disjoint indices.
public struct SharedFloats: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Float>
    public init(base: UnsafeMutablePointer<Float>) { self.base = base }
}

/// The number of processors.
public var defaultThreadCount: Int {
    #if canImport(Glibc)
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
    return max(1, Int(sysconf(_SC_NPROCESSORS_ONLN)))
    #endif
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
