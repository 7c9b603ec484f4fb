import Foundation
import NeuralNet
import SelfSupervised
import ToyData

extension BenchWorkload {
    /// digits-epoch: one epoch of SimSiam through the shared loop (`train`), as lesson 7
    /// trains it: the digits training split (1,257 images, 4 batches of 256, digits views),
    /// MLP 64-128-128, projector 128-128-128, predictor 128-32-128, Adam lr 1e-3. Timed
    /// with the per-epoch record of the network outputs (probe batch of 256) and without
    /// it (probe size 0), alternating, so the second line's note is what the record costs.
    static let digitsEpoch = BenchWorkload(
        name: "digits-epoch", summary: "an epoch of SimSiam on the digits through train(), with and without the output record",
        run: { quick in
            let data = try digits().split(testFraction: 0.3, seed: 0).train
            var rng = RandomGenerator(seed: 0)
            let method = SimSiam(encoder: mlp([64, 128, 128], lastActivation: true, rng: &rng),
                                 projector: mlp([128, 128, 128], rng: &rng), predictor: mlp([128, 32, 128], rng: &rng))
            func configuration(probe: Int) -> TrainingConfiguration {
                TrainingConfiguration(epochs: 1, batchSize: 256, seed: 1, views: ViewPipelines.digits(), flattenInputs: true,
                                      augmentationThreads: 1, probeSize: probe)
            }
            let (with, without) = try pairedSecondsPerCall(batchTime: quick ? 0.05 : 0.5, rounds: quick ? 2 : 8,
                                                           { try train(method, on: data, configuration: configuration(probe: 256)) },
                                                           { try train(method, on: data, configuration: configuration(probe: 0)) })
            let cost = 100 * (with - without) / without
            return [BenchLine(name: "digits-epoch", value: with * 1000, unit: "ms", note: "with the output record"),
                    BenchLine(name: "digits-epoch-no-record", value: without * 1000, unit: "ms",
                              note: String(format: "the record costs %+.1f %%", cost))]
        })
}
