/// The one place TensorCore calls BLAS. Every matrix product in the module (matmul and
/// its gradients, conv2d and its gradients) goes through `sgemm`; the double-precision
/// Gram matrices of the collapse meters go through `gramMatrix` (`dsyrk`).
import CBLAS
import RunSupport
#if canImport(Glibc)
import Glibc
#endif

/// C ← α·op(A)·op(B) + β·C for row-major single-precision matrices, where op(X) is X
/// or Xᵀ. op(A) is m×k, op(B) is k×n, C is m×n; `lda`, `ldb`, `ldc` are the row strides
/// of A, B and C as stored. With β = 0, C may be uninitialised.
@inline(__always)
func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
           alpha: Float, a: UnsafePointer<Float>, lda: Int,
           b: UnsafePointer<Float>, ldb: Int,
           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        // BLAS leaves C alone when k is 0 only for β = 1; make β = 0 well defined too.
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
        return
    }
    OpProfile.measure(.blas, flops: 2 * Double(m) * Double(n) * Double(k)) {
        cblas_sgemm(CblasRowMajor,
                    transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }
}

/// The Gram matrix of the row-major `rows × columns` matrix X in double precision: XᵀX
/// (columns × columns) when `ofColumns`, else XXᵀ (rows × rows), both triangles filled.
public func gramMatrix(_ x: [Double], rows: Int, columns: Int, ofColumns: Bool) -> [Double] {
    precondition(x.count == rows * columns, "gramMatrix: \(x.count) elements for \(rows)×\(columns)")
    let size = ofColumns ? columns : rows
    var c = [Double](repeating: 0, count: size * size)
    if rows == 0 || columns == 0 { return c }
    x.withUnsafeBufferPointer { a in
        c.withUnsafeMutableBufferPointer { out in
            OpProfile.measure(.blas, flops: Double(size) * Double(size) * Double(ofColumns ? rows : columns)) {
                cblas_dsyrk(CblasRowMajor, CblasUpper, ofColumns ? CblasTrans : CblasNoTrans, Int32(size),
                            Int32(ofColumns ? rows : columns), 1, a.baseAddress, Int32(columns), 0, out.baseAddress, Int32(size))
            }
        }
    }
    for i in 0..<size { for j in 0..<i { c[i * size + j] = c[j * size + i] } }
    return c
}

/// Sets the number of threads TensorCore computes with (`--threads`; at least 1).
///
/// TensorCore divides the work itself: a convolution and batch norm over fixed groups of
/// images, pooling over channel planes (and the augmentation pipelines over images).
/// Every split is fixed by the problem's size, not by the thread count, and the parts'
/// partial sums are added in group order, so the numbers are bit-for-bit the same for any
/// thread count (`ThreadTests`).
///
/// OpenBLAS itself always runs one thread, called from those workers, and a matrix product
/// outside a convolution runs on one thread. Two reasons, both measured: OpenBLAS's own
/// threads spin between products on the cores the other workers need (on 2 cores that made
/// two threads slower than one), and a product split into blocks of rows or columns, one
/// single-threaded call per block, is not bit-for-bit the product computed whole (about 7%
/// of the elements differ in the last bit with OpenBLAS 0.3.21), which would make a seed's
/// numbers depend on the thread count.
public func setThreads(_ n: Int) {
    ComputeThreads.count = Swift.max(1, n)
    openblas_set_num_threads(1)
}

/// The number of threads TensorCore computes with (see `setThreads`).
public func computeThreads() -> Int { ComputeThreads.count }

/// The number of threads OpenBLAS itself uses (1 once `setThreads` has run).
public func blasThreads() -> Int {
    Int(openblas_get_num_threads())
}

/// The thread count `setThreads` sets. Written at start-up and between commands, read by
/// the kernels on the calling thread.
enum ComputeThreads {
    nonisolated(unsafe) static var count = 1
}

/// The name of the kernel set OpenBLAS uses on this CPU ("Haswell", "SkylakeX", …).
public func blasCoreName() -> String {
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name)
}

/// How `selfsup` makes OpenBLAS load the kernel set asked for with `SELFSUP_BLAS_KERNELS`.
///
/// OpenBLAS chooses its kernels once, when the library loads (before `main`, and before it
/// starts its own threads): by detecting the CPU, unless `OPENBLAS_CORETYPE` names a set.
/// Re-initialising it later in a running process (`gotoblas_dynamic_quit`/`_init`) swaps
/// the kernel table under OpenBLAS's already running pool threads, which crashed about one
/// launch in 600 under load. So a different set is never chosen in a running process: the
/// program starts itself again (`exec`) with `OPENBLAS_CORETYPE` set or removed, and the new
/// image's OpenBLAS chooses at load, when no thread of it exists yet.
///
/// - unset (or `environment`): OpenBLAS's own choice at load, which honours the user's
///   `OPENBLAS_CORETYPE` when it is set. Nothing is re-launched.
/// - `auto`: OpenBLAS's CPU detection even where `OPENBLAS_CORETYPE` is set (an opt-in:
///   some machines set that variable on purpose, because older OpenBLAS builds compute
///   wrong results or crash on their processors).
/// - `NAME` (e.g. `Haswell`): that set, as `OPENBLAS_CORETYPE=NAME` would.
///
/// The user's own `OPENBLAS_CORETYPE` is put back in the re-launched process's environment
/// (the markers below carry it), so programs it starts see the environment the user set.
public enum BLASKernelChoice: Equatable, Sendable {
    /// Keep what OpenBLAS chose at load.
    case keep
    /// Start again with `OPENBLAS_CORETYPE` set to this value (nil: removed).
    case relaunch(coreType: String?)

    /// Set in the re-launched process: it never re-launches again.
    public static let relaunchedMarker = "SELFSUP_BLAS_RELAUNCHED"
    /// The user's own `OPENBLAS_CORETYPE`, carried across the re-launch (absent when unset).
    public static let userCoreTypeMarker = "SELFSUP_BLAS_USER_CORETYPE"

    /// What to do for a setting of `SELFSUP_BLAS_KERNELS` and the `OPENBLAS_CORETYPE`
    /// OpenBLAS loaded with; a process that was already re-launched keeps what it has.
    public static func plan(setting: String?, loadedCoreType: String?, relaunched: Bool) -> BLASKernelChoice {
        if relaunched { return .keep }
        let setting = setting ?? ""
        switch setting {
        case "", "environment":
            return .keep
        case "auto":
            return loadedCoreType == nil ? .keep : .relaunch(coreType: nil)
        default:
            return loadedCoreType == setting ? .keep : .relaunch(coreType: setting)
        }
    }

    /// Where the kernel set in use came from, for `selfsup bench`'s first line.
    public static func source(environment: [String: String]) -> String {
        switch environment["SELFSUP_BLAS_KERNELS"] ?? "" {
        case "", "environment":
            return environment["OPENBLAS_CORETYPE"].map { "OPENBLAS_CORETYPE=\($0)" } ?? "OpenBLAS's CPU detection"
        case let setting:
            let user = environment["OPENBLAS_CORETYPE"].map { ", over OPENBLAS_CORETYPE=\($0)" } ?? ""
            return "SELFSUP_BLAS_KERNELS=\(setting)\(user)"
        }
    }
}
