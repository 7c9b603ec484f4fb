#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a training step's time goes, by kind of op: what `selfsup bench --profile` prints.
///
/// The kernels mark their own work with `OpProfile.measure(kind) { … }`. Time is
/// *exclusive*: a region nested in another (sgemm inside conv2d, say) is charged to its
/// own kind and taken out of the outer one, so the kinds add up to the time measured.
/// Forward and backward run the same kernels, so both are charged by kind.
///
/// Profiling is off unless an `OpProfiler` is recording (`profiler.recording { … }`), and
/// then records only the ops of the thread it is bound on (the run's `RunContext`).
public enum OpKind: Int, CaseIterable, Sendable {
    /// Matrix products in BLAS (sgemm): matmul, linear, conv2d; the only kind with FLOPs.
    case blas
    /// Laying patches out for conv2d's matrix product (im2col) and adding them back (col2im).
    case im2col
    /// conv2d and linear around their BLAS calls: bias rows, bias gradient, zeroing.
    case convLinear
    /// Batch normalisation, forward and backward.
    case batchNorm
    /// Max- and average-pooling, forward and backward.
    case pooling
    /// Elementwise arithmetic and functions, and gradient accumulation (`grad += g`).
    case elementwise
    /// Broadcasting (`expand`) and its adjoint, the sum back to a shape.
    case broadcast
    /// Sums, means, maxima and softmax-style reductions along axes.
    case reduction
    /// Reshapes, concatenation, slices, gathers, transposes: moving values, no arithmetic.
    case copy
    /// The optimiser's update of every parameter.
    case optimizer
    /// `backward()` itself: topological order, calling each node's closure, releasing the graph.
    case graph

    /// The name the profile table prints.
    public var label: String {
        switch self {
        case .blas: return "matmul (BLAS sgemm)"
        case .im2col: return "conv im2col/col2im"
        case .convLinear: return "conv/linear, non-BLAS"
        case .batchNorm: return "BatchNorm"
        case .pooling: return "pooling"
        case .elementwise: return "elementwise + grad accumulate"
        case .broadcast: return "broadcast / sum to shape"
        case .reduction: return "reductions"
        case .copy: return "copies (reshape, concat, index)"
        case .optimizer: return "optimiser step"
        case .graph: return "graph bookkeeping (backward)"
        }
    }
}

/// What one profiled run measured: seconds, calls and FLOPs per kind, and the tensors made.
public struct OpProfileReport: Sendable {
    /// Exclusive seconds per kind, indexed by `OpKind.rawValue`.
    public var seconds: [Double]
    /// Regions entered per kind.
    public var calls: [Int]
    /// Floating-point operations (2·m·n·k per sgemm) per kind; only `.blas` has any.
    public var flops: [Double]
    /// Tensors created (results and leaves) and their elements.
    public var tensorsCreated: Int
    public var elementsCreated: Int

    public init() {
        seconds = [Double](repeating: 0, count: OpKind.allCases.count)
        calls = [Int](repeating: 0, count: OpKind.allCases.count)
        flops = [Double](repeating: 0, count: OpKind.allCases.count)
        tensorsCreated = 0
        elementsCreated = 0
    }

    /// The seconds charged to some kind.
    public var attributedSeconds: Double { seconds.reduce(0, +) }
}

/// The recording of profiled runs: `recording { … }` binds it in the thread's
/// `RunContext`, so it records the ops run on that thread inside the closure, and
/// `report` adds up everything recorded so far. Parallel workers run inside a region of
/// the recording thread and are charged to it as wall time.
public final class OpProfiler {
    /// What was recorded so far.
    public private(set) var report = OpProfileReport()
    /// Per open region: the time its nested regions took (to subtract from its own).
    var nestedSeconds: [Double] = []
    /// The kinds of the open regions, innermost last.
    var openKinds: [OpKind] = []

    public init() {}

    /// Runs `body` with this profiler recording the calling thread's ops.
    public func recording<R>(_ body: () throws -> R) rethrows -> R {
        try RunContext.with(profiler: self, body)
    }
}

/// The profiler's entry points, called by TensorCore's kernels. Off (no `OpProfiler`
/// bound on the thread), a region costs one read of the run context and one branch.
public enum OpProfile {
    /// Runs `body`, charging its time (less that of regions nested in it) to `kind`.
    @inlinable @inline(__always)
    public static func measure<R>(_ kind: OpKind, flops: Double = 0, _ body: () throws -> R) rethrows -> R {
        let token = begin(kind)
        defer { end(token, flops: flops) }
        return try body()
    }

    /// Opens a region of `kind`; `end` closes it. (What `measure` does, for kernels whose
    /// per-element closures must stay inlined: no closure is handed to the profiler.)
    @inlinable @inline(__always)
    public static func begin(_ kind: OpKind) -> Double? {
        guard RunContext.isProfiling else { return nil }
        return beginRecording(kind)
    }

    @inlinable @inline(__always)
    public static func end(_ token: Double?, flops: Double = 0) {
        guard let token else { return }
        endRecording(start: token, flops: flops)
    }

    @usableFromInline @inline(never)
    static func beginRecording(_ kind: OpKind) -> Double? {
        guard let profiler = RunContext.profiler else { return nil }
        profiler.nestedSeconds.append(0)
        profiler.openKinds.append(kind)
        return monotonicSeconds()
    }

    @usableFromInline @inline(never)
    static func endRecording(start: Double, flops: Double) {
        let elapsed = monotonicSeconds() - start
        guard let profiler = RunContext.profiler else { return }
        profiler.endRegion(elapsed: elapsed, flops: flops)
    }

    /// The backward closure of a result made inside a region, charged to that region's
    /// kind when it runs (so conv2d's backward counts as conv2d, wherever backward() is).
    @inlinable @inline(__always)
    public static func chargingBackward(_ backward: @escaping ([Float]) -> Void) -> ([Float]) -> Void {
        guard RunContext.isProfiling else { return backward }
        return chargingBackwardRecording(backward)
    }

    @usableFromInline @inline(never)
    static func chargingBackwardRecording(_ backward: @escaping ([Float]) -> Void) -> ([Float]) -> Void {
        guard let kind = RunContext.profiler?.openKinds.last else { return backward }
        return { g in measure(kind) { backward(g) } }
    }

    /// Counts a tensor of `elements` elements (called by `Tensor.init`).
    @inlinable @inline(__always)
    public static func countTensor(elements: Int) {
        guard RunContext.isProfiling else { return }
        countTensorRecording(elements: elements)
    }

    @usableFromInline @inline(never)
    static func countTensorRecording(elements: Int) {
        RunContext.profiler?.countTensor(elements: elements)
    }

    /// Seconds on the monotonic clock.
    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

extension OpProfiler {
    /// Closes the innermost open region: charges its time less that of its nested regions.
    func endRegion(elapsed: Double, flops: Double) {
        let nested = nestedSeconds.removeLast()
        let kind = openKinds.removeLast()
        report.seconds[kind.rawValue] += elapsed - nested
        report.calls[kind.rawValue] += 1
        report.flops[kind.rawValue] += flops
        if !nestedSeconds.isEmpty { nestedSeconds[nestedSeconds.count - 1] += elapsed }
    }

    func countTensor(elements: Int) {
        report.tensorsCreated += 1
        report.elementsCreated += elements
    }
}
