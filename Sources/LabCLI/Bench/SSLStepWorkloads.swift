import Foundation
import LabSupport
import NeuralNet
import RunSupport
import SelfSupervised
import TensorCore

/// The two training-step workloads of `Bench/torch_peer.py`, built exactly as
/// the peer builds them, timed the same way (3 warm-up steps, then the mean of 200 / 10
/// steps) and printed as `NAME  MS` per step.
extension BenchWorkload {
    /// mlp-simclr: MLP 64-256-256-128 + projector 128-128-64 (BatchNorm + ReLU between
    /// linears, none between encoder and projector), batch 256 of 64-dim inputs, two fixed
    /// noisy views x + 0.1·noise, NT-Xent τ 0.5, Adam lr 1e-3.
    static let mlpSimCLR = trainingStep(name: "mlp-simclr", summary: "SimCLR step on an MLP, as torch_peer.py",
                                        steps: 200, quickSteps: 20) { try TrainingStep.mlpSimCLR() }

    /// cnn-barlow: three 3×3 conv blocks (32, 64, 128 channels, BatchNorm + ReLU, 2×2
    /// max-pool after the first two), global average pool, projector 128-256-256; batch
    /// 128 of 3×32×32, Barlow Twins λ 5e-3, SGD lr 0.05 momentum 0.9.
    static let cnnBarlow = trainingStep(name: "cnn-barlow", summary: "Barlow Twins step on a conv net, as torch_peer.py",
                                        steps: 10, quickSteps: 2) { try TrainingStep.cnnBarlow() }

    /// A workload that times (and can profile) the training step `make` builds.
    static func trainingStep(name: String, summary: String, steps: Int, quickSteps: Int,
                             make: @escaping @Sendable () throws -> TrainingStep) -> BenchWorkload {
        BenchWorkload(
            name: name, summary: summary,
            run: { quick in [.step(name, try make().millisecondsPerStep(steps: quick ? quickSteps : steps))] },
            profile: { quick in try make().profile(steps: quick ? quickSteps : steps) })
    }
}

/// One training step of a benchmark: a network applied to two fixed views, a loss of the
/// two embeddings, backward, an optimiser step. Timing and profiling run the same step.
struct TrainingStep {
    let model: Sequential
    let x1: Tensor, x2: Tensor
    let optimizer: Optimizer
    let loss: (Tensor, Tensor) throws -> Tensor

    /// The mlp-simclr network, batch and optimiser, as torch_peer.py builds them.
    static func mlpSimCLR() throws -> TrainingStep {
        var rng = RandomGenerator(seed: 0)
        let model = Sequential([mlp([64, 256, 256, 128], rng: &rng), mlp([128, 128, 64], rng: &rng)])
        let x = Tensor.randn([256, 64], using: &rng)
        let x1 = try x + 0.1 * Tensor.randn([256, 64], using: &rng)
        let x2 = try x + 0.1 * Tensor.randn([256, 64], using: &rng)
        return TrainingStep(model: model, x1: x1, x2: x2, optimizer: Adam(model.parameters(), learningRate: 1e-3),
                            loss: { try ntXent($0, $1, temperature: 0.5) })
    }

    /// The cnn-barlow network, batch and optimiser, as torch_peer.py builds them, with the
    /// Barlow Twins loss unless another loss of the two embeddings is given.
    static func cnnBarlow(loss: ((Tensor, Tensor) throws -> Tensor)? = nil) throws -> TrainingStep {
        var rng = RandomGenerator(seed: 0)
        let model = Sequential([convnet(widths: [32, 64, 128], inChannels: 3, rng: &rng), mlp([128, 256, 256], rng: &rng)])
        let x = Tensor.randn([128, 3, 32, 32], using: &rng)
        let x1 = try x + 0.1 * Tensor.randn(x.shape, using: &rng)
        let x2 = try x + 0.1 * Tensor.randn(x.shape, using: &rng)
        return TrainingStep(model: model, x1: x1, x2: x2,
                            optimizer: SGD(model.parameters(), learningRate: 0.05, momentum: 0.9),
                            loss: loss ?? { try barlowTwins($0, $1, lambda: 5e-3) })
    }

    /// One step; `mark(phase)` is called as each phase ends.
    func run(mark: (StepPhase) -> Void = { _ in }) throws {
        optimizer.zeroGrad()
        let z1 = try model(x1), z2 = try model(x2)
        mark(.forward)
        let value = try loss(z1, z2)
        mark(.loss)
        try value.backward()
        mark(.backward)
        optimizer.step()
        mark(.optimizer)
    }

    /// As the peer's `time_steps`: 3 warm-up steps, then the mean wall and process CPU
    /// time of `steps` steps, in ms.
    func millisecondsPerStep(steps: Int) throws -> (wall: Double, cpu: Double) {
        try LabCLI.millisecondsPerStep(steps: steps) { try run() }
    }

    /// 3 warm-up steps, then `steps` profiled steps: time by op kind and by phase.
    func profile(steps: Int) throws -> StepProfile {
        for _ in 0..<3 { try run() }
        var phaseSeconds = [Double](repeating: 0, count: StepPhase.allCases.count)
        let profiler = OpProfiler()
        let begin = OpProfile.monotonicSeconds()
        try profiler.recording {
            for _ in 0..<steps {
                var last = OpProfile.monotonicSeconds()
                try run { phase in
                    let now = OpProfile.monotonicSeconds()
                    phaseSeconds[phase.rawValue] += now - last
                    last = now
                }
            }
        }
        let total = OpProfile.monotonicSeconds() - begin
        return StepProfile(steps: steps, totalSeconds: total, ops: profiler.report, phaseSeconds: phaseSeconds)
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
