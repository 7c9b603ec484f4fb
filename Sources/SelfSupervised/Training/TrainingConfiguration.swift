import Foundation
import NeuralNet

/// Which optimiser the training loop builds over the method's parameters.
public enum OptimizerChoice: Sendable, Equatable {
    /// Adam (β 0.9, 0.999) with L2 weight decay added to the gradient, as `torch.optim.Adam`.
    case adam(weightDecay: Float = 0)
    /// SGD with momentum and weight decay, as `torch.optim.SGD`.
    case sgd(momentum: Float = 0.9, weightDecay: Float = 0)
    /// LARS (Barlow Twins, BYOL at large batch): SGD with layer-wise trust ratios.
    case lars(momentum: Float = 0.9, weightDecay: Float = 1e-6)

    func make(_ parameters: [Tensor], learningRate: Float) -> Optimizer {
        switch self {
        case let .adam(wd): return Adam(parameters, learningRate: learningRate, weightDecay: wd)
        case let .sgd(m, wd): return SGD(parameters, learningRate: learningRate, momentum: m, weightDecay: wd)
        case let .lars(m, wd): return LARS(parameters, learningRate: learningRate, momentum: m, weightDecay: wd)
        }
    }
}

/// The shape of the learning-rate schedule, in epochs; the loop turns it into NeuralNet's
/// `LearningRateSchedule` once the number of steps is known.
public enum TrainingSchedule: Sendable, Equatable {
    /// The base rate throughout.
    case constant
    /// Linear warm-up over `warmupEpochs`, then cosine decay to 0 at the last step
    /// (SimCLR, BYOL, Barlow Twins, VICReg all use this shape).
    case cosine(warmupEpochs: Int = 0)

    /// The rate at `step` (0-based) of `totalSteps`, with `stepsPerEpoch`.
    public func rate(base: Float, step: Int, totalSteps: Int, stepsPerEpoch: Int) -> Float {
        schedule(base: base, totalSteps: totalSteps, stepsPerEpoch: stepsPerEpoch)(step)
    }

    /// NeuralNet's schedule for this shape.
    public func schedule(base: Float, totalSteps: Int, stepsPerEpoch: Int) -> LearningRateSchedule {
        switch self {
        case .constant: return .constant(base: base)
        case let .cosine(warmupEpochs):
            return .cosine(base: base, warmupSteps: warmupEpochs * stepsPerEpoch, totalSteps: totalSteps, final: 0)
        }
    }
}

/// Everything the training loop needs besides the method and the data.
public struct TrainingConfiguration: Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    public var optimizer: OptimizerChoice
    public var schedule: TrainingSchedule
    /// Seeds the batch order (epoch e uses seed &+ e) and the augmentations.
    public var seed: UInt64
    /// The two view pipelines; nil feeds the raw inputs as both views.
    public var views: ViewPipelines?
    /// Flatten each view to [N, features] before the networks (MLP encoders on images).
    public var flattenInputs: Bool
    /// Drop the last, smaller batch of each epoch (BatchNorm and contrastive losses
    /// dislike tiny batches). A data set smaller than one batch is used as one batch.
    public var dropLast: Bool
    /// Threads for the augmentations (nil: `computeThreads()`, the `--threads` setting).
    public var augmentationThreads: Int?
    /// How many training inputs the probe batch holds, on which every network output's
    /// collapse meters are measured after each epoch (`EpochRecord.outputs`); 0 measures none.
    public var probeSize: Int

    public init(epochs: Int = 10, batchSize: Int = 256, learningRate: Float = 1e-3,
                optimizer: OptimizerChoice = .adam(), schedule: TrainingSchedule = .constant,
                seed: UInt64 = 0, views: ViewPipelines? = nil, flattenInputs: Bool = false,
                dropLast: Bool = true, augmentationThreads: Int? = nil, probeSize: Int = 256) {
        self.epochs = epochs; self.batchSize = batchSize; self.learningRate = learningRate
        self.optimizer = optimizer; self.schedule = schedule; self.seed = seed; self.views = views
        self.flattenInputs = flattenInputs; self.dropLast = dropLast; self.augmentationThreads = augmentationThreads
        self.probeSize = probeSize
    }
}
