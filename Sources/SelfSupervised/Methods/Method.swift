import NeuralNet

/// What one training step sees: the batch's original inputs and labels, the two
/// augmented views (equal to the inputs when no augmentation is configured), and which
/// rows of the data set the batch holds.
public struct TrainingBatch {
    public var inputs: Tensor
    public var labels: [Int]
    public var view1: Tensor
    public var view2: Tensor
    public var indices: [Int]

    public init(inputs: Tensor, labels: [Int], view1: Tensor, view2: Tensor, indices: [Int] = []) {
        self.inputs = inputs; self.labels = labels; self.view1 = view1; self.view2 = view2; self.indices = indices
    }
}

/// A representation-learning method: it owns its networks (an encoder whose features are
/// evaluated, plus projector, predictor, target networks, queue as it needs) and knows its
/// loss. Every method is trained by the same loop, `train(_:on:configuration:…)`.
public protocol RepresentationMethod: AnyObject {
    /// A short name for tables and errors, e.g. `SimCLR`.
    var name: String { get }
    /// The network whose output is the representation (what probes evaluate).
    var encoder: Module { get }
    /// The networks trained by back-propagation (the optimiser's parameters come from here).
    var trainableModules: [Module] { get }
    /// Networks updated otherwise (EMA targets): put in training mode with the rest.
    var auxiliaryModules: [Module] { get }
    /// The loss of one batch, with the graph to back-propagate through.
    func loss(_ batch: TrainingBatch) throws -> Tensor
    /// Called after each optimiser step; `step` counts from 1 to `totalSteps` (EMA
    /// updates, momentum schedules, queue updates).
    func afterStep(step: Int, totalSteps: Int) throws
    /// A short description of the method's settings, e.g. `τ 0.5`.
    var settings: String { get }
    /// Called before each epoch with (a function giving) the training inputs as the
    /// networks take them (flattened when configured) and the data's labels. A method may return the rows
    /// the epoch visits, in order (DeepCluster: pseudo-labels and sampling balanced over
    /// them); nil keeps the loop's shuffled pass.
    func beforeEpoch(_ epoch: Int, inputs: () throws -> Tensor, labels: [Int], seed: UInt64) throws -> [Int]?
    /// Metrics of the epoch just trained, merged into its `EpochRecord` (e.g. DeepCluster's NMI).
    var epochMetrics: [String: Double] { get }
    /// The networks whose outputs the loop measures for collapse after every epoch, in the
    /// order they apply, each to the previous one's output: the encoder, then the
    /// projector and predictor where the method has them (default: the encoder alone).
    var measuredNetworks: [(NetworkOutput, Module)] { get }
}

extension RepresentationMethod {
    public var auxiliaryModules: [Module] { [] }
    public func afterStep(step: Int, totalSteps: Int) throws {}
    public func beforeEpoch(_ epoch: Int, inputs: () throws -> Tensor, labels: [Int], seed: UInt64) throws -> [Int]? { nil }
    public var epochMetrics: [String: Double] { [:] }
    public var measuredNetworks: [(NetworkOutput, Module)] { [(.encoder, encoder)] }

    /// Every trainable parameter, in a fixed order.
    public var parameters: [Tensor] { trainableModules.flatMap { $0.parameters() } }

    /// Puts every network in training (`true`) or evaluation mode.
    public func setTraining(_ training: Bool) {
        for m in trainableModules + auxiliaryModules { m.setTraining(training) }
    }

    /// The encoder's features of `inputs`, in evaluation mode and without a graph (the
    /// networks' previous mode is restored). Large inputs go through in chunks of 512.
    public func features(_ inputs: Tensor) throws -> Tensor {
        let wasTraining = encoder.isTraining
        encoder.eval()
        defer { encoder.setTraining(wasTraining) }
        return try withNoGrad {
            let n = inputs.shape[0]
            var parts: [Tensor] = []
            var start = 0
            while start < n {
                let end = Swift.min(n, start + 512)
                parts.append(try encoder(try slice(inputs, axis: 0, SliceRange(start, end))))
                start = end
            }
            return parts.count == 1 ? parts[0] : try concat(parts, axis: 0)
        }
    }
}

/// A network applied after another: `Chain(encoder, projector)` computes projector(encoder(x)).
func project(_ x: Tensor, _ networks: Module...) throws -> Tensor {
    var y = x
    for n in networks { y = try n(y) }
    return y
}
