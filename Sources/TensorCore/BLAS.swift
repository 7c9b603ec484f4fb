/// The one place TensorCore calls BLAS. Every matrix product in the module (matmul and
/// its gradients, conv2d and its gradients) goes through `sgemm`.
import CBLAS

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
    cblas_sgemm(CblasRowMajor,
                transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                beta, c, Int32(ldc))
}

/// Sets the number of threads OpenBLAS uses for matrix products (1 gives repeatable timing).
public func setBLASThreads(_ n: Int) {
    openblas_set_num_threads(Int32(Swift.max(1, n)))
}

/// The number of threads OpenBLAS currently uses.
public func blasThreads() -> Int {
    Int(openblas_get_num_threads())
}
