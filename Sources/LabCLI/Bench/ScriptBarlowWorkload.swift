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
    static let scriptBarlow = BenchWorkload(
        name: "script-barlow", summary: "cnn-barlow with the loss written in LabScript",
        run: { quick in
            // Alternating runs, so that both lines see the same machine.
            let script = try TrainingStep.cnnBarlow(loss: try scriptBarlowLoss())
            let builtin = try TrainingStep.cnnBarlow()
            var best = [Double.infinity, .infinity, .infinity, .infinity]
            for _ in 0..<(quick ? 1 : 2) {
                let s = try script.millisecondsPerStep(steps: quick ? 2 : 10)
                let b = try builtin.millisecondsPerStep(steps: quick ? 2 : 10)
                best = [Swift.min(best[0], s.wall), Swift.min(best[1], s.cpu), Swift.min(best[2], b.wall), Swift.min(best[3], b.cpu)]
            }
            return [.step("script-barlow", (best[0], best[1])), .step("builtin-barlow", (best[2], best[3]))]
        },
        profile: { quick in try TrainingStep.cnnBarlow(loss: try scriptBarlowLoss()).profile(steps: quick ? 2 : 10) })

    /// The LabScript loss above, loaded into a fresh session, as a Swift function.
    static func scriptBarlowLoss() throws -> (Tensor, Tensor) throws -> Tensor {
        let session = BuiltinContext(output: BufferOutputSink())
        guard case .success = session.run(scriptBarlowSource, name: "script-barlow.lab"),
              let barlow = session.interpreter.globals.lookup("barlow") else {
            throw BenchError("script-barlow: the LabScript loss did not load")
        }
        return { z1, z2 in
            let value = try session.interpreter.callValue(
                barlow, positional: [(.host(TensorValue(z1, state: session.state)), nil),
                                     (.host(TensorValue(z2, state: session.state)), nil)],
                named: [], callRange: nil)
            guard case .host(let result as TensorValue) = value else {
                throw BenchError("script-barlow: the LabScript loss returned \(value.typeName)")
            }
            return result.tensor
        }
    }
}

/// A benchmark that could not run.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
