import Foundation
import TensorCore

extension BenchWorkload {
    /// A TensorCore-only stand-in for mlp-simclr (same shapes as torch_peer.py: MLP
    /// 64-256-256-128-128-64 with BatchNorm (no running stats) + ReLU, NT-Xent t = 0.5,
    /// batch 256; plain SGD instead of Adam). It times forward + backward + update of the
    /// core ops until NeuralNet provides the real workload.
    static let coreMLPSimCLR = BenchWorkload(name: "core-mlp-simclr", summary: "mlp-simclr step from TensorCore ops only") { quick in
        var rng = RandomGenerator(seed: 2)
        let sizes = [(64, 256, true), (256, 256, true), (256, 128, false), (128, 128, true), (128, 64, false)]
        var params: [Tensor] = []
        var layers: [(w: Tensor, b: Tensor, gamma: Tensor?, beta: Tensor?)] = []
        for (i, o, bn) in sizes {
            let w = Tensor.randn([o, i], std: 1 / Float(i).squareRoot(), using: &rng)
            let b = Tensor.zeros([o])
            let gamma = bn ? Tensor.ones([o]) : nil, beta = bn ? Tensor.zeros([o]) : nil
            for t in [w, b, gamma, beta].compactMap({ $0 }) { t.requiresGrad = true; params.append(t) }
            layers.append((w, b, gamma, beta))
        }
        // The encoder's third linear feeds the projector directly (no BN/ReLU), as in the peer.
        func model(_ x: Tensor) throws -> Tensor {
            var h = x
            for layer in layers {
                h = try linear(h, weight: layer.w, bias: layer.b)
                if let gamma = layer.gamma, let beta = layer.beta {
                    h = relu(try batchNorm(h, weight: gamma, bias: beta).output)
                }
            }
            return h
        }
        func ntXent(_ z1: Tensor, _ z2: Tensor, t: Float = 0.5) throws -> Tensor {
            let z = try normalize(concat([z1, z2]), axis: 1)
            let n = z1.shape[0]
            let s = try matmul(z, z, transposeB: true) / t
            let masked = try maskedFill(s, mask: Tensor.eye(2 * n), value: -Float.infinity)
            return try crossEntropy(masked, labels: Array(n..<(2 * n)) + Array(0..<n))
        }
        let x = Tensor.randn([256, 64], using: &rng)
        let x1 = try x + 0.1 * Tensor.randn([256, 64], using: &rng)
        let x2 = try x + 0.1 * Tensor.randn([256, 64], using: &rng)
        let step = {
            for p in params { p.zeroGrad() }
            let loss = try ntXent(model(x1), model(x2))
            try loss.backward()
            for p in params {
                guard let g = p.grad?.data else { continue }
                p.data.withUnsafeMutableBufferPointer { w in
                    g.withUnsafeBufferPointer { d in
                        for i in 0..<w.count { w[i] -= 0.01 * d[i] }
                    }
                }
            }
        }
        let cpuBefore = processCPUSeconds()
        var steps = 0
        let seconds = try secondsPerCall(minTime: quick ? 0.2 : 1) { try step(); steps += 1 }
        let cpu = (processCPUSeconds() - cpuBefore) / Double(steps)
        return [BenchLine(name: "core-mlp-simclr", value: seconds * 1e3, unit: "ms/step",
                          note: String(format: "TensorCore ops only, SGD; CPU %.3f ms/step", cpu * 1e3))]
    }
}
