import Dispatch
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Runs `body(i)` for each `i` in `0..<count` in contiguous chunks over at most `threads`
/// threads. Results must depend on `i` only (per-image seeds drawn beforehand), so they
/// are the same for any number of threads.
func augmentationParallelFor(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    let workers = max(1, min(threads, count))
    if workers == 1 {
        for i in 0..<count { body(i) }
        return
    }
    let chunk = (count + workers - 1) / workers
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        let start = w * chunk, end = min(count, start + chunk)
        if start < end { for i in start..<end { body(i) } }
    }
}

/// A pointer parallel workers write through at disjoint ranges.
struct AugmentationOutputPointer: @unchecked Sendable { let base: UnsafeMutablePointer<Float> }

/// The number of online processors: the default number of threads.
var augmentationDefaultThreads: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
