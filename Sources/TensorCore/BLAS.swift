/// The one place TensorCore calls BLAS. Every matrix product in the module (matmul and
/// its gradients, conv2d and its gradients) goes through `sgemm`.
import CBLAS
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

/// Chooses OpenBLAS's kernel set for this CPU, as selfsup's own setting.
///
/// OpenBLAS picks its kernels when it loads: by detecting the CPU, unless the environment
/// variable `OPENBLAS_CORETYPE` names a set. The machines this project is developed and
/// tested on set `OPENBLAS_CORETYPE=Haswell` for every process, which holds OpenBLAS to
/// its AVX2 kernels on CPUs with AVX-512: half the sgemm rate (on one Zen 5 core, 113
/// against 220 GFLOP/s in `selfsup bench --only sgemm`), while PyTorch, the peer the
/// benchmark compares with, uses AVX-512 there (its oneDNN and MKL ignore that variable).
/// selfsup already owns the other OpenBLAS setting, the thread count (`--threads`, not
/// `OPENBLAS_NUM_THREADS`); this makes the kernel set its own setting too:
///
/// - `SELFSUP_BLAS_KERNELS` unset or `auto`: OpenBLAS's own detection for this CPU, as if
///   `OPENBLAS_CORETYPE` were not set (OpenBLAS checks that the CPU and the operating
///   system support the instructions);
/// - `SELFSUP_BLAS_KERNELS=NAME` (e.g. `Haswell`): that set, as `OPENBLAS_CORETYPE=NAME` would;
/// - `SELFSUP_BLAS_KERNELS=environment`: whatever OpenBLAS chose when it loaded.
///
/// It re-initialises OpenBLAS through OpenBLAS's own entry points, which exist in
/// libraries built with all kernel sets (DYNAMIC_ARCH, as Debian's); elsewhere it leaves
/// OpenBLAS alone. Call once at start-up, before any matrix product and before other
/// threads run. Returns the kernel set in use. A product's last bits depend on the kernel
/// set (its summation order), so a seed repeats its numbers exactly for one kernel set:
/// `selfsup bench` prints the set, and `SELFSUP_BLAS_KERNELS=Haswell` reproduces runs
/// made with the AVX2 kernels.
@discardableResult
public func selectBLASKernels() -> String {
    #if os(Linux)
    let setting = getenv("SELFSUP_BLAS_KERNELS").map { String(cString: $0) } ?? "auto"
    guard setting != "environment",
          let quitSymbol = dlsym(nil, "gotoblas_dynamic_quit"),
          let initSymbol = dlsym(nil, "gotoblas_dynamic_init") else { return blasCoreName() }
    let environment = getenv("OPENBLAS_CORETYPE").map { String(cString: $0) }
    let wanted: String? = setting == "auto" ? nil : setting
    if wanted == environment { return blasCoreName() }  // already what OpenBLAS loaded with
    typealias Entry = @convention(c) () -> Void
    let quit = unsafeBitCast(quitSymbol, to: Entry.self), reinit = unsafeBitCast(initSymbol, to: Entry.self)
    if let wanted { setenv("OPENBLAS_CORETYPE", wanted, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
    quit()
    reinit()
    // Leave the environment as it was, for child processes.
    if let environment { setenv("OPENBLAS_CORETYPE", environment, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
    #endif
    return blasCoreName()
}
