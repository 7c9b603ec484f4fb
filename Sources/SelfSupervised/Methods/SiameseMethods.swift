import NeuralNet

/// BYOL (Grill et al. 2020, "Bootstrap Your Own Latent"): an online encoder + projector +
/// predictor predicts the projection of the other view by a target network, an EMA of the
/// online encoder + projector with τ rising from `momentum` to 1 on a cosine schedule.
/// Loss: the symmetric negative cosine (see `negativeCosine(p1:z2:p2:z1:)`).
/// Ablations: `momentum` (1 freezes the target; 0 copies the online network each step),
/// no predictor (pass `Identity()`).
public final class BYOL: RepresentationMethod {
    public let name = "BYOL"
    public let encoder: Module
    public let projector: Module
    public let predictor: Module
    public let targetEncoder: Module
    public let targetProjector: Module
    public var momentum: Float
    public var momentumSchedule: Bool

    public init(encoder: Module, projector: Module, predictor: Module, momentum: Float = 0.99,
                momentumSchedule: Bool = true) {
        self.encoder = encoder; self.projector = projector; self.predictor = predictor
        targetEncoder = frozenCopy(encoder); targetProjector = frozenCopy(projector)
        self.momentum = momentum; self.momentumSchedule = momentumSchedule
    }
    public var trainableModules: [Module] { [encoder, projector, predictor] }
    public var measuredNetworks: [(NetworkOutput, Module)] { [(.encoder, encoder), (.projector, projector), (.predictor, predictor)] }
    public var auxiliaryModules: [Module] { [targetEncoder, targetProjector] }
    public var settings: String { "τ₀ \(momentum)\(momentumSchedule ? " cosine" : "")\(predictor is Identity ? ", no predictor" : "")" }

    public func loss(_ batch: TrainingBatch) throws -> Tensor {
        let p1 = try project(batch.view1, encoder, projector, predictor)
        let p2 = try project(batch.view2, encoder, projector, predictor)
        let (z1, z2) = try withNoGrad {
            (try project(batch.view1, targetEncoder, targetProjector),
             try project(batch.view2, targetEncoder, targetProjector))
        }
        return try negativeCosine(p1: p1, z2: z2, p2: p2, z1: z1)
    }

    public func afterStep(step: Int, totalSteps: Int) throws {
        let tau = momentumSchedule ? cosineMomentum(step: step, totalSteps: totalSteps, base: momentum) : momentum
        try updateMomentum(target: targetEncoder, online: encoder, m: tau)
        try updateMomentum(target: targetProjector, online: projector, m: tau)
    }
    /// How far the target lags the online network: ‖θ − ξ‖ / ‖θ‖ over the encoder's and
    /// projector's parameters (0 when the target is an exact copy).
    public var targetDistance: Double {
        var difference = 0.0, norm = 0.0
        let online = encoder.parameters() + projector.parameters()
        let target = targetEncoder.parameters() + targetProjector.parameters()
        for (p, q) in zip(online, target) {
            for (a, b) in zip(p.data, q.data) { difference += Double(a - b) * Double(a - b); norm += Double(a) * Double(a) }
        }
        return (difference / Swift.max(norm, 1e-30)).squareRoot()
    }
    public var epochMetrics: [String: Double] { ["target_distance": targetDistance] }
}

/// SimSiam (Chen & He 2021, "Exploring Simple Siamese Representation Learning"): one
/// encoder + projector, a predictor on one side and a stop-gradient on the other,
/// symmetric negative cosine. Ablations: `stopGradient` false, no predictor (`Identity()`).
public final class SimSiam: RepresentationMethod {
    public let name = "SimSiam"
    public let encoder: Module
    public let projector: Module
    public let predictor: Module
    public var stopGradient: Bool
    public init(encoder: Module, projector: Module, predictor: Module, stopGradient: Bool = true) {
        self.encoder = encoder; self.projector = projector; self.predictor = predictor; self.stopGradient = stopGradient
    }
    public var trainableModules: [Module] { [encoder, projector, predictor] }
    public var measuredNetworks: [(NetworkOutput, Module)] { [(.encoder, encoder), (.projector, projector), (.predictor, predictor)] }
    public var settings: String {
        [stopGradient ? nil : "no stop-gradient", predictor is Identity ? "no predictor" : nil]
            .compactMap { $0 }.joined(separator: ", ")
    }
    public func loss(_ batch: TrainingBatch) throws -> Tensor {
        let z1 = try project(batch.view1, encoder, projector)
        let z2 = try project(batch.view2, encoder, projector)
        return try negativeCosine(p1: predictor(z1), z2: z2, p2: predictor(z2), z1: z1, stopGradient: stopGradient)
    }
}

/// The positive-only siamese net: one encoder (+ projector), `positiveOnly` between the
/// views and nothing else. It collapses without BatchNorm (the lesson's demonstration).
public final class PositiveOnlySiamese: RepresentationMethod {
    public let name = "Positive-only"
    public let encoder: Module
    public let projector: Module
    public var distance: PositiveDistance
    public init(encoder: Module, projector: Module = Identity(), distance: PositiveDistance = .cosine) {
        self.encoder = encoder; self.projector = projector; self.distance = distance
    }
    public var trainableModules: [Module] { [encoder, projector] }
    public var measuredNetworks: [(NetworkOutput, Module)] { [(.encoder, encoder), (.projector, projector)] }
    public var settings: String { distance.rawValue }
    public func loss(_ batch: TrainingBatch) throws -> Tensor {
        try positiveOnly(project(batch.view1, encoder, projector), project(batch.view2, encoder, projector),
                         distance: distance)
    }
}
