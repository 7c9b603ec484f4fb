import NeuralNet

/// Supervised baseline: encoder + linear head trained with cross-entropy on the first
/// view (so it sees the same augmentations as the self-supervised methods).
public final class Supervised: RepresentationMethod {
    public let name = "Supervised"
    public let encoder: Module
    public let head: Module
    public init(encoder: Module, head: Module) { self.encoder = encoder; self.head = head }
    public var trainableModules: [Module] { [encoder, head] }
    public var settings: String { "cross-entropy" }
    public func loss(_ batch: TrainingBatch) throws -> Tensor {
        try crossEntropy(project(batch.view1, encoder, head), labels: batch.labels)
    }
}

/// SimCLR (Chen et al. 2020): encoder + projector, NT-Xent between the two views.
/// Ablations: `temperature`, projector width (build the projector), batch size (loop).
public final class SimCLR: RepresentationMethod {
    public let name = "SimCLR"
    public let encoder: Module
    public let projector: Module
    public var temperature: Float
    public init(encoder: Module, projector: Module, temperature: Float = 0.5) {
        self.encoder = encoder; self.projector = projector; self.temperature = temperature
    }
    public var trainableModules: [Module] { [encoder, projector] }
    public var measuredNetworks: [(NetworkOutput, Module)] { [(.encoder, encoder), (.projector, projector)] }
    public var settings: String { "τ \(temperature)" }
    public func loss(_ batch: TrainingBatch) throws -> Tensor {
        try ntXent(project(batch.view1, encoder, projector), project(batch.view2, encoder, projector),
                   temperature: temperature)
    }
}

/// MoCo v2 (Chen et al. 2020, "Improved Baselines with Momentum Contrastive Learning"):
/// queries from the online encoder + projector, keys from a momentum (EMA) copy, InfoNCE
/// against a FIFO queue of past keys. The loss is symmetrised over the two views (as
/// lightly's MoCo v2 examples do; the paper uses one direction). After each step the
/// momentum networks move towards the online ones with τ following the cosine schedule
/// from `momentum` to 1 (`momentumSchedule` false keeps τ constant, the paper's 0.999),
/// and the keys of the batch are enqueued.
public final class MoCo: RepresentationMethod {
    public let name = "MoCo v2"
    public let encoder: Module
    public let projector: Module
    public let momentumEncoder: Module
    public let momentumProjector: Module
    public private(set) var queue: KeyQueue
    public var temperature: Float
    public var momentum: Float
    public var momentumSchedule: Bool
    private var pendingKeys: [Tensor] = []

    public init(encoder: Module, projector: Module, embeddingDimension: Int, queueSize: Int = 4096,
                temperature: Float = 0.2, momentum: Float = 0.99, momentumSchedule: Bool = true,
                rng: inout RandomGenerator) {
        self.encoder = encoder; self.projector = projector
        momentumEncoder = frozenCopy(encoder); momentumProjector = frozenCopy(projector)
        queue = KeyQueue(capacity: queueSize, dimension: embeddingDimension, rng: &rng)
        self.temperature = temperature; self.momentum = momentum; self.momentumSchedule = momentumSchedule
    }
    public var trainableModules: [Module] { [encoder, projector] }
    public var measuredNetworks: [(NetworkOutput, Module)] { [(.encoder, encoder), (.projector, projector)] }
    public var auxiliaryModules: [Module] { [momentumEncoder, momentumProjector] }
    public var settings: String { "τ \(temperature), queue \(queue.capacity), m \(momentum)" }

    public func loss(_ batch: TrainingBatch) throws -> Tensor {
        let q1 = try project(batch.view1, encoder, projector)
        let q2 = try project(batch.view2, encoder, projector)
        let (k1, k2) = try withNoGrad {
            (try project(batch.view1, momentumEncoder, momentumProjector),
             try project(batch.view2, momentumEncoder, momentumProjector))
        }
        let negatives = queue.keys
        pendingKeys = [k1, k2]
        let l1 = try infoNCE(query: q1, key: k2, queue: negatives, temperature: temperature)
        let l2 = try infoNCE(query: q2, key: k1, queue: negatives, temperature: temperature)
        return try (l1 + l2) * 0.5
    }

    public func afterStep(step: Int, totalSteps: Int) throws {
        let tau = momentumSchedule ? cosineMomentum(step: step, totalSteps: totalSteps, base: momentum) : momentum
        try updateMomentum(target: momentumEncoder, online: encoder, m: tau)
        try updateMomentum(target: momentumProjector, online: projector, m: tau)
        for k in pendingKeys { try queue.enqueue(k) }
        pendingKeys = []
    }
}

/// Decoupled contrastive learning (Yeh et al. 2022): SimCLR's networks with the DCL loss.
public final class DCLMethod: RepresentationMethod {
    public let name = "DCL"
    public let encoder: Module
    public let projector: Module
    public var temperature: Float
    public var weighted: Bool
    public init(encoder: Module, projector: Module, temperature: Float = 0.1, weighted: Bool = false) {
        self.encoder = encoder; self.projector = projector; self.temperature = temperature; self.weighted = weighted
    }
    public var trainableModules: [Module] { [encoder, projector] }
    public var measuredNetworks: [(NetworkOutput, Module)] { [(.encoder, encoder), (.projector, projector)] }
    public var settings: String { "τ \(temperature)\(weighted ? ", weighted" : "")" }
    public func loss(_ batch: TrainingBatch) throws -> Tensor {
        try dcl(project(batch.view1, encoder, projector), project(batch.view2, encoder, projector),
                temperature: temperature, weighted: weighted)
    }
}

/// NNCLR (Dwibedi et al. 2021, "With a Little Help from My Friends: Nearest-Neighbor
/// Contrastive Learning of Visual Representations"): encoder + projector + predictor; the
/// positive of each view's prediction is the nearest neighbour (cosine) of the other view's
/// projection in a support set, a FIFO queue of past projections (`nnclrLoss`). After each
/// step the second view's projections of the batch are enqueued (lightly's
/// `NNMemoryBankModule` with `update=True` on the second view); the queue starts from random
/// unit vectors, as lightly's bank does.
public final class NNCLR: RepresentationMethod {
    public let name = "NNCLR"
    public let encoder: Module
    public let projector: Module
    public let predictor: Module
    public private(set) var support: KeyQueue
    public var temperature: Float
    private var pendingProjections: Tensor?

    public init(encoder: Module, projector: Module, predictor: Module, embeddingDimension: Int, supportSize: Int = 1024,
                temperature: Float = 0.1, rng: inout RandomGenerator) {
        self.encoder = encoder; self.projector = projector; self.predictor = predictor
        support = KeyQueue(capacity: supportSize, dimension: embeddingDimension, rng: &rng)
        self.temperature = temperature
    }
    public var trainableModules: [Module] { [encoder, projector, predictor] }
    public var measuredNetworks: [(NetworkOutput, Module)] { [(.encoder, encoder), (.projector, projector), (.predictor, predictor)] }
    public var settings: String { "τ \(temperature), support \(support.capacity)" }

    public func loss(_ batch: TrainingBatch) throws -> Tensor {
        let z1 = try project(batch.view1, encoder, projector)
        let z2 = try project(batch.view2, encoder, projector)
        let p1 = try predictor(z1), p2 = try predictor(z2)
        pendingProjections = z2.detach()
        return try nnclrLoss(z1: z1, p1: p1, z2: z2, p2: p2, support: support.keys, temperature: temperature)
    }

    public func afterStep(step: Int, totalSteps: Int) throws {
        if let z = pendingProjections { try support.enqueue(z) }
        pendingProjections = nil
    }
}
