import Dispatch

/// Deterministic data parallelism for the data sets and augmentations.

/// Runs `body(i)` for every `i` in `0..<count` on at most `threads` threads. Each index is
/// handled exactly once; callers make the work for index `i` depend only on `i` (pre-drawn
/// seeds, fixed groups), so results do not depend on `threads` or on which thread ran what.
public func parallelFor(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    parallelParts(count, threads: threads) { i, _ in body(i) }
}

/// Hands out the indices `0..<count` one at a time to the workers that ask.
private final class NextIndex: @unchecked Sendable {
    private var next = 0
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func take() -> Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        next += 1
        return next - 1
    }
}

/// Runs `body(part, worker)` for every part in `0..<parts` on at most `threads` workers
/// (`worker` in `0..<threads`, so a worker can reuse its own scratch buffers). Parts are
/// handed out one at a time to whichever worker is free, not split in advance: on a busy
/// machine, a worker whose core is shared with another process simply takes fewer parts
/// (a fixed split made every parallel region wait for the slowed worker, and two threads
/// slower than one). What a part computes must depend only on the part.
func parallelParts(_ parts: Int, threads: Int, _ body: @Sendable (_ part: Int, _ worker: Int) -> Void) {
    let workers = max(1, min(threads, parts))
    if workers == 1 {
        for part in 0..<parts { body(part, 0) }
        return
    }
    let next = NextIndex()
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        while true {
            let part = next.take()
            if part >= parts { return }
            body(part, w)
        }
    }
}

/// The `index`-th of `parts` contiguous, near-equal ranges of `0..<count`.
func partRange(_ index: Int, of parts: Int, count: Int) -> Range<Int> {
    (count * index / parts)..<(count * (index + 1) / parts)
}

/// Raw pointers handed to parallel workers, which read them (or write them at disjoint
/// indices) while the caller waits.
public struct SendablePointer<T>: @unchecked Sendable {
    public let p: UnsafePointer<T>
    public init(_ p: UnsafePointer<T>) { self.p = p }
}
public struct SendableMutablePointer<T>: @unchecked Sendable {
    public let p: UnsafeMutablePointer<T>
    public init(_ p: UnsafeMutablePointer<T>) { self.p = p }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
