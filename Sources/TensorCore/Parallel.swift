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

/// A raw pointer that parallel workers write through at disjoint indices.
public struct SharedFloats: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Float>
    public init(base: UnsafeMutablePointer<Float>) { self.base = base }
}

/// The number of processors, the default degree of parallelism.
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
