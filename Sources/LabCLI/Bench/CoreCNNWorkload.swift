import Foundation
import TensorCore

extension BenchWorkload {
    /// A TensorCore-only stand-in for cnn-barlow (same shapes as torch_peer.py: three
    /// 3×3 conv blocks 32/64/128 with BatchNorm + ReLU, 2×2 max-pool after the first two,
    /// global average pool, projector 128-256-256; Barlow Twins λ = 5e-3; batch 128 of
    /// 3×32×32; plain SGD). It times forward + backward + update of the core ops until
    /// NeuralNet provides the real workload.
    static let coreCNNBarlow = BenchWorkload(name: "core-cnn-barlow", summary: "cnn-barlow step from TensorCore ops only") { quick in
        var rng = RandomGenerator(seed: 3)
        var params: [Tensor] = []
        func parameter(_ t: Tensor) -> Tensor { t.requiresGrad = true; params.append(t); return t }
        let convs = [(3, 32), (32, 64), (64, 128)].map { (i, o) in
            (w: parameter(Tensor.randn([o, i, 3, 3], std: 1 / Float(9 * i).squareRoot(), using: &rng)),
             b: parameter(Tensor.zeros([o])), gamma: parameter(Tensor.ones([o])), beta: parameter(Tensor.zeros([o])))
        }
        let w1 = parameter(Tensor.randn([256, 128], std: 1 / Float(128).squareRoot(), using: &rng))
        let b1 = parameter(Tensor.zeros([256])), g1 = parameter(Tensor.ones([256])), e1 = parameter(Tensor.zeros([256]))
        let w2 = parameter(Tensor.randn([256, 256], std: 1 / 16, using: &rng)), b2 = parameter(Tensor.zeros([256]))

        func model(_ x: Tensor) throws -> Tensor {
            var h = x
            for (k, c) in convs.enumerated() {
                h = try conv2d(h, c.w, bias: c.b, padding: 1)
                h = relu(try batchNorm(h, weight: c.gamma, bias: c.beta).output)
                if k < 2 { h = try maxPool2d(h, kernel: 2) }
            }
            h = try mean(h, axes: [2, 3])
            h = relu(try batchNorm(linear(h, weight: w1, bias: b1), weight: g1, bias: e1).output)
            return try linear(h, weight: w2, bias: b2)
        }
        func barlowTwins(_ z1: Tensor, _ z2: Tensor, lambda: Float = 5e-3) throws -> Tensor {
            let n = Float(z1.shape[0])
            let a = try batchNorm(z1).output, b = try batchNorm(z2).output
            let c = try matmul(a, b, transposeA: true) / n
            return try sum(pow(diag(c) - 1, 2)) + lambda * sum(pow(offdiag(c), 2))
        }
        let batch = quick ? 16 : 128
        let x = Tensor.randn([batch, 3, 32, 32], using: &rng)
        let x1 = try x + 0.1 * Tensor.randn(x.shape, using: &rng)
        let x2 = try x + 0.1 * Tensor.randn(x.shape, using: &rng)
        let step = {
            for p in params { p.zeroGrad() }
            try barlowTwins(model(x1), model(x2)).backward()
            for p in params {
                guard let g = p.grad?.data else { continue }
                p.data.withUnsafeMutableBufferPointer { w in
                    g.withUnsafeBufferPointer { d in
                        for i in 0..<w.count { w[i] -= 0.05 * d[i] }
                    }
                }
            }
        }
        try step()
        let cpuBefore = processCPUSeconds()
        let clock = ContinuousClock()
        let steps = quick ? 1 : 3
        let elapsed = try clock.measure { for _ in 0..<steps { try step() } }
        let cpu = (processCPUSeconds() - cpuBefore) / Double(steps)
        return [BenchLine(name: "core-cnn-barlow", value: elapsed.seconds / Double(steps) * 1e3, unit: "ms/step",
                          note: String(format: "TensorCore ops only, SGD, batch %d; CPU %.1f ms/step", batch, cpu * 1e3))]
    }
}
