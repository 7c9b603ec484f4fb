import NeuralNet
import ToyData

/// The fixed batch on which the training loop measures every network output after each
/// epoch (and once before the first step): `probeSize` training inputs, drawn without
/// replacement by a generator of their own from the run's seed, so the batch is the same
/// at every epoch and measuring it changes nothing else in the run (the networks run in
/// evaluation mode, without a graph; BatchNorm's running statistics are only read).
struct OutputProbe {
    /// The inputs as the networks take them (flattened when configured).
    let inputs: Tensor

    /// The probe of a run, or nil when it measures nothing (`probeSize` 0, or fewer than 2 examples).
    init?(data: Dataset, configuration c: TrainingConfiguration) throws {
        let size = Swift.min(c.probeSize, data.count)
        guard size >= 2 else { return nil }
        var rng = RandomGenerator(seed: c.seed ^ 0x0b5e_72ed)
        let rows = Array(rng.permutation(data.count).prefix(size)).sorted()
        inputs = try flatInputs(try data.selecting(rows), c)
    }

    var count: Int { inputs.shape[0] }

    /// The collapse meters of each network of `method.measuredNetworks` on the probe batch.
    /// The networks' modes are left in evaluation mode; the loop sets training mode again.
    func measure(_ method: RepresentationMethod) throws -> [NetworkOutput: OutputStatistics] {
        method.setTraining(false)
        var outputs: [NetworkOutput: OutputStatistics] = [:]
        var x = inputs
        for (output, network) in method.measuredNetworks {
            x = try withNoGrad { try network(x) }
            guard x.rank == 2 else { break }   // a network whose output is not [N, D] is not measured, nor what follows
            outputs[output] = try OutputStatistics(of: x)
        }
        return outputs
    }
}
