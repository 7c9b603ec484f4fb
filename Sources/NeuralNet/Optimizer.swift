import RunSupport
import TensorCore

/// The base of every optimiser: it walks the parameters and, for each one that has a
/// gradient, lets the subclass apply one update. A subclass says only two things:
///
/// - `makeState(for:)`: the buffers it keeps per parameter (SGD: a momentum buffer;
///   Adam: first and second moments), made at the parameter's first update;
/// - `update(_:)`: one step for one parameter, in place.
///
/// Parameters without a gradient (frozen, or unused by the loss) are skipped and their
/// state does not advance, as in PyTorch. The learning rate may be changed between steps
/// (that is what a schedule does: `optimizer.learningRate = schedule(step)`).
open class Optimizer {
    /// The parameters, in the order given (usually `model.parameters()`).
    public let parameters: [Tensor]
    /// The learning rate used by the next `step()`.
    public var learningRate: Float
    /// How many times `step()` has been called.
    public private(set) var stepCount = 0
    /// Per parameter: its state buffers (nil before its first update) and update count.
    var states: [[[Float]]?]
    var updateCounts: [Int]

    public init(parameters: [Tensor], learningRate: Float) {
        self.parameters = parameters
        self.learningRate = learningRate
        states = [[[Float]]?](repeating: nil, count: parameters.count)
        updateCounts = [Int](repeating: 0, count: parameters.count)
    }

    /// The state buffers for `parameter`, made just before its first update.
    open func makeState(for parameter: Tensor) -> [[Float]] { [] }

    /// Applies one update to one parameter, in place. See `ParameterUpdate`.
    open func update(_ u: inout ParameterUpdate) {
        preconditionFailure("\(type(of: self)) must override update(_:)")
    }

    /// One optimisation step over every parameter that has a gradient.
    public func step() {
    return OpProfile.measure(.optimizer) {
            stepCount += 1
            for (i, p) in parameters.enumerated() {
                guard let grad = p.grad else { continue }
                precondition(grad.count == p.count, "Optimizer: gradient \(formatShape(grad.shape)) for parameter \(formatShape(p.shape))")
                updateCounts[i] += 1
                var u = ParameterUpdate(parameter: p, value: p.data, grad: grad.data,
                                        state: states[i] ?? makeState(for: p),
                                        step: updateCounts[i], learningRate: learningRate)
                // Release our references so that `u` owns unique buffers (updated in place).
                states[i] = nil
                p.data = []
                update(&u)
                p.data = u.value
                states[i] = u.state
            }
        }
}

    /// Clears every parameter's gradient (call before each forward/backward).
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }
}

/// Everything an optimiser's `update` needs for one parameter. It writes `value` (the
/// parameter's elements) and `state` in place; `grad` is dL/dparameter.
public struct ParameterUpdate {
    /// The parameter tensor (for its shape; its `data` is in `value` during the update).
    public let parameter: Tensor
    /// The parameter's elements, to be updated.
    public var value: [Float]
    /// The gradient, same count as `value`.
    public let grad: [Float]
    /// The optimiser's buffers for this parameter, as made by `makeState(for:)`.
    public var state: [[Float]]
    /// The number of updates of this parameter, this one included (1 on the first).
    public let step: Int
    /// The learning rate of this step.
    public let learningRate: Float
}
