/// Allocator tuning for tensor workloads.

#if os(Linux)
/// glibc's `mallopt` (declared in <malloc.h>, which the Glibc module does not export).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
/// <malloc.h>: M_TRIM_THRESHOLD is −1, M_MMAP_THRESHOLD is −3.
private let mTrimThreshold: Int32 = -1, mMmapThreshold: Int32 = -3
#endif

/// Asks glibc's malloc to keep freed tensor buffers for reuse instead of handing them
/// back to the kernel: every op allocates its result, and re-faulting fresh zeroed pages
/// (hundreds of KB per op) can cost more than the arithmetic. Call once at start-up
/// (`SelfSupCommand.launch()` does, for every command); a no-op on other platforms.
public func tuneAllocatorForTensors() {
    #if os(Linux)
    _ = glibcMallopt(mMmapThreshold, 256 << 20)
    _ = glibcMallopt(mTrimThreshold, 1 << 30)
    #endif
}
