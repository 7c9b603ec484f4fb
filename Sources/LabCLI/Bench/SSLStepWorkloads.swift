import Foundation
import NeuralNet
import SelfSupervised

/// The two training-step workloads of `../shared/bench/torch_peer.py`, built exactly as
/// the peer builds them, timed the same way (3 warm-up steps, then the mean of 200 / 10
/// steps) and printed as `NAME  MS` per step.
extension BenchWorkload {
    /// mlp-simclr: MLP 64-256-256-128 + projector 128-128-64 (BatchNorm + ReLU between
    /// linears, none between encoder and projector), batch 256 of 64-dim inputs, two fixed
    /// noisy views x + 0.1·noise, NT-Xent τ 0.5, Adam lr 1e-3.
    static let mlpSimCLR = BenchWorkload(name: "mlp-simclr", summary: "SimCLR step on an MLP, as torch_peer.py") { quick in
        var rng = RandomGenerator(seed: 0)
        let model = Sequential([mlp([64, 256, 256, 128], rng: &rng), mlp([128, 128, 64], rng: &rng)])
        let x = Tensor.randn([256, 64], using: &rng)
        let x1 = try x + 0.1 * Tensor.randn([256, 64], using: &rng)
        let x2 = try x + 0.1 * Tensor.randn([256, 64], using: &rng)
        let optimizer = Adam(model.parameters(), learningRate: 1e-3)
        let ms = try millisecondsPerStep(steps: quick ? 20 : 200) {
            optimizer.zeroGrad()
            let loss = try ntXent(model(x1), model(x2), temperature: 0.5)
            try loss.backward()
            optimizer.step()
        }
        return [BenchLine(name: "mlp-simclr", value: ms.wall, unit: "ms", note: String(format: "CPU %.3f ms/step", ms.cpu))]
    }

    /// cnn-barlow: three 3×3 conv blocks (32, 64, 128 channels, BatchNorm + ReLU, 2×2
    /// max-pool after the first two), global average pool, projector 128-256-256; batch
    /// 128 of 3×32×32, Barlow Twins λ 5e-3, SGD lr 0.05 momentum 0.9.
    static let cnnBarlow = BenchWorkload(name: "cnn-barlow", summary: "Barlow Twins step on a conv net, as torch_peer.py") { quick in
        let setup = try CNNBarlowSetup()
        let ms = try setup.millisecondsPerStep(steps: quick ? 2 : 10) { try barlowTwins($0, $1, lambda: 5e-3) }
        return [BenchLine(name: "cnn-barlow", value: ms.wall, unit: "ms", note: String(format: "CPU %.3f ms/step", ms.cpu))]
    }
}

/// The cnn-barlow network, batch and optimiser, as torch_peer.py builds them.
struct CNNBarlowSetup {
    let model: Sequential
    let x1: Tensor, x2: Tensor
    let optimizer: SGD

    init() throws {
        var rng = RandomGenerator(seed: 0)
        model = Sequential([convnet(widths: [32, 64, 128], inChannels: 3, rng: &rng), mlp([128, 256, 256], rng: &rng)])
        let x = Tensor.randn([128, 3, 32, 32], using: &rng)
        x1 = try x + 0.1 * Tensor.randn(x.shape, using: &rng)
        x2 = try x + 0.1 * Tensor.randn(x.shape, using: &rng)
        optimizer = SGD(model.parameters(), learningRate: 0.05, momentum: 0.9)
    }

    /// Times training steps whose loss of the two views' embeddings is `loss`.
    func millisecondsPerStep(steps: Int, loss: (Tensor, Tensor) throws -> Tensor) throws -> (wall: Double, cpu: Double) {
        try LabCLI.millisecondsPerStep(steps: steps) {
            optimizer.zeroGrad()
            let value = try loss(model(x1), model(x2))
            try value.backward()
            optimizer.step()
        }
    }
}

/// As the peer's `time_steps`: 3 warm-up steps, then the mean wall time of `steps` steps,
/// in ms, and the mean process CPU time (the fairer figure on a busy machine).
func millisecondsPerStep(steps: Int, _ step: () throws -> Void) throws -> (wall: Double, cpu: Double) {
    for _ in 0..<3 { try step() }
    let clock = ContinuousClock()
    let cpuBefore = processCPUSeconds()
    let elapsed = try clock.measure { for _ in 0..<steps { try step() } }
    let cpu = processCPUSeconds() - cpuBefore
    return (elapsed.seconds / Double(steps) * 1e3, cpu / Double(steps) * 1e3)
}
