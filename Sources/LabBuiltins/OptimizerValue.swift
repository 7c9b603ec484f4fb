import LabScript
import LabSupport
import NeuralNet
import SelfSupervised

/// An optimiser as a script value: `opt.step()` applies one update to every parameter
/// from its `.grad`, `opt.zero_grad()` clears the gradients, `opt.learning_rate` can be
/// read and set (for a schedule written in the script).
public final class OptimizerValue: HostObject {
    public let optimizer: Optimizer
    let name: String

    init(_ optimizer: Optimizer, name: String) {
        self.optimizer = optimizer
        self.name = name
    }

    public var typeName: String { "optimizer" }
    public var scriptDescription: String {
        "\(name)(\(optimizer.parameters.count) tensors, learning_rate \(optimizer.learningRate), step \(optimizer.stepCount))"
    }
    public var memberNames: [String] { ["step", "zero_grad", "learning_rate", "step_count"] }

    public func field(_ name: String, context: CallContext) throws -> Value? {
        switch name {
        case "learning_rate": return .number(Double("\(optimizer.learningRate)") ?? Double(optimizer.learningRate))  // 0.1, not 0.100000001
        case "step_count": return .int(optimizer.stepCount)
        default: return nil
        }
    }

    public func setField(_ name: String, to value: Value, context: CallContext) throws -> Bool {
        guard name == "learning_rate" else { return false }
        guard case .number(let rate) = value, rate.isFinite, rate >= 0 else {
            throw context.error(Messages.text("learning_rate must be a number ≥ 0, got {value}", ["value": value.description]))
        }
        optimizer.learningRate = Float(rate)
        return true
    }

    public func method(_ name: String) -> NativeFunction? {
        let optimizer = self.optimizer
        switch name {
        case "step":
            return NativeFunction(name: "optimizer.step", parameters: [], summary: "One update of every parameter from its gradient.", example: "") { _, _ in
                // The untrained test hook (`TrainingTestHooks`) skips a script's own steps too.
                if !TrainingTestHooks.untrained { optimizer.step() }
                return .nilValue
            }
        case "zero_grad":
            return NativeFunction(name: "optimizer.zero_grad", parameters: [], summary: "Clears the gradient of every parameter.", example: "") { _, _ in
                optimizer.zeroGrad()
                return .nilValue
            }
        default:
            return nil
        }
    }
}
