import Foundation
import LabBuiltins
import LabScript
import NeuralNet
import SelfSupervised

extension BenchWorkload {
    /// The Barlow Twins loss as a learner writes it in LabScript, from primitives.
    static let scriptBarlowSource = """
        fn barlow(z1, z2, lambda = 0.005) {
            c = standardize(z1).T @ standardize(z2) / rows(z1)
            return sum((diag(c) - 1) ^ 2) + lambda * sum(offdiag(c) ^ 2)
        }
        """

    /// script-barlow: the cnn-barlow step (same network, batch, optimiser) with the loss
    /// computed by the LabScript function above instead of the builtin: what the
    /// interpreter costs on a real training step. Prints both lines so the ratio can be read.
    static let scriptBarlow = BenchWorkload(name: "script-barlow",
                                            summary: "cnn-barlow with the loss written in LabScript") { quick in
        let session = BuiltinContext(output: BufferOutputSink())
        guard case .success = session.run(scriptBarlowSource, name: "script-barlow.lab"),
              let barlow = session.interpreter.globals.lookup("barlow") else {
            throw BenchError("script-barlow: the LabScript loss did not load")
        }
        var rng = RandomGenerator(seed: 0)
        let model = Sequential([convnet(widths: [32, 64, 128], inChannels: 3, rng: &rng), mlp([128, 256, 256], rng: &rng)])
        let x = Tensor.randn([128, 3, 32, 32], using: &rng)
        let x1 = try x + 0.1 * Tensor.randn(x.shape, using: &rng)
        let x2 = try x + 0.1 * Tensor.randn(x.shape, using: &rng)
        let optimizer = SGD(model.parameters(), learningRate: 0.05, momentum: 0.9)
        func scriptLoss(_ z1: Tensor, _ z2: Tensor) throws -> Tensor {
            let value = try session.interpreter.callValue(
                barlow, positional: [(.host(TensorValue(z1, state: session.state)), nil),
                                     (.host(TensorValue(z2, state: session.state)), nil)],
                named: [], callRange: nil)
            guard case .host(let result as TensorValue) = value else {
                throw BenchError("script-barlow: the LabScript loss returned \(value.typeName)")
            }
            return result.tensor
        }
        var lines: [BenchLine] = []
        for (name, loss) in [("script-barlow", scriptLoss), ("builtin-barlow", { try barlowTwins($0, $1, lambda: 5e-3) })] {
            let ms = try millisecondsPerStep(steps: quick ? 2 : 10) {
                optimizer.zeroGrad()
                let value = try loss(model(x1), model(x2))
                try value.backward()
                optimizer.step()
            }
            lines.append(BenchLine(name: name, value: ms.wall, unit: "ms", note: String(format: "CPU %.3f ms/step", ms.cpu)))
        }
        return lines
    }
}

/// A benchmark that could not run.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
