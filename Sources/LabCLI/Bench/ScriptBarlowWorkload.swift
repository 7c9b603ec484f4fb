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
        let setup = try CNNBarlowSetup()
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
            let ms = try setup.millisecondsPerStep(steps: quick ? 2 : 10, loss: loss)
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
