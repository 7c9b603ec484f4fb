import Foundation
import CBLAS
import TensorCore

extension BenchWorkload {
    /// Matrix-product throughput through the Tensor API next to a raw `cblas_sgemm` call
    /// on the same data, at n = 256, 512 and 1024 (square, 2n³ flops per product).
    static let sgemm = BenchWorkload(name: "sgemm", summary: "n×n matmul: Tensor API vs raw cblas_sgemm") { quick in
        var lines: [BenchLine] = []
        var rng = RandomGenerator(seed: 0)
        for n in quick ? [256] : [256, 512, 1024] {
            let a = Tensor.randn([n, n], using: &rng), b = Tensor.randn([n, n], using: &rng)
            var c = [Float](repeating: 0, count: n * n)
            let flops = 2 * Double(n * n * n)
            // Alternate raw and Tensor batches so both see the same machine load.
            let (raw, api) = try pairedSecondsPerCall(rounds: quick ? 3 : 8, {
                a.data.withUnsafeBufferPointer { pa in
                    b.data.withUnsafeBufferPointer { pb in
                        c.withUnsafeMutableBufferPointer { pc in
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n),
                                        1, pa.baseAddress, Int32(n), pb.baseAddress, Int32(n), 0, pc.baseAddress, Int32(n))
                        }
                    }
                }
            }, { _ = try matmul(a, b) })
            lines.append(BenchLine(name: "sgemm-\(n)-raw", value: flops / raw / 1e9, unit: "GFLOP/s"))
            lines.append(BenchLine(name: "sgemm-\(n)-tensor", value: flops / api / 1e9, unit: "GFLOP/s",
                                   note: String(format: "%.1f%% of raw", 100 * raw / api)))
        }
        return lines
    }
}
