import NeuralNet

/// Barlow Twins (Zbontar et al. 2021): encoder + projector, the cross-correlation loss
/// `barlowTwins` with weight `lambda` on the off-diagonal terms.
public final class BarlowTwins: RepresentationMethod {
    public let name = "Barlow Twins"
    public let encoder: Module
    public let projector: Module
    public var lambda: Float
    public init(encoder: Module, projector: Module, lambda: Float = 5e-3) {
        self.encoder = encoder; self.projector = projector; self.lambda = lambda
    }
    public var trainableModules: [Module] { [encoder, projector] }
    public var measuredNetworks: [(NetworkOutput, Module)] { [(.encoder, encoder), (.projector, projector)] }
    public var settings: String { "λ \(lambda)" }
    public func loss(_ batch: TrainingBatch) throws -> Tensor {
        try barlowTwins(project(batch.view1, encoder, projector), project(batch.view2, encoder, projector),
                        lambda: lambda)
    }
}

/// VICReg (Bardes et al. 2022): encoder + projector, `vicreg` with weights λ (invariance),
/// μ (variance; 0 is the no-variance ablation), ν (covariance).
public final class VICReg: RepresentationMethod {
    public let name = "VICReg"
    public let encoder: Module
    public let projector: Module
    public var lambda: Float, mu: Float, nu: Float
    public init(encoder: Module, projector: Module, lambda: Float = 25, mu: Float = 25, nu: Float = 1) {
        self.encoder = encoder; self.projector = projector; self.lambda = lambda; self.mu = mu; self.nu = nu
    }
    public var trainableModules: [Module] { [encoder, projector] }
    public var measuredNetworks: [(NetworkOutput, Module)] { [(.encoder, encoder), (.projector, projector)] }
    public var settings: String { "λ \(lambda), μ \(mu), ν \(nu)" }
    public func loss(_ batch: TrainingBatch) throws -> Tensor {
        try vicreg(project(batch.view1, encoder, projector), project(batch.view2, encoder, projector),
                   lambda: lambda, mu: mu, nu: nu)
    }
}

/// W-MSE (Ermolov et al. 2021): encoder + projector, each view's batch whitened, then the
/// normalised MSE (`wmse`). The batch must be larger than the embedding dimension
/// (the paper uses embedding 64 or 128 with batch ≥ 256).
public final class WMSE: RepresentationMethod {
    public let name = "W-MSE"
    public let encoder: Module
    public let projector: Module
    public var eps: Float
    /// Whiten sub-batches of this many examples (the paper's `w_size`); nil: the whole batch.
    public var whiteningSize: Int?
    public init(encoder: Module, projector: Module, eps: Float = 1e-3, whiteningSize: Int? = nil) {
        self.encoder = encoder; self.projector = projector; self.eps = eps; self.whiteningSize = whiteningSize
    }
    public var trainableModules: [Module] { [encoder, projector] }
    public var measuredNetworks: [(NetworkOutput, Module)] { [(.encoder, encoder), (.projector, projector)] }
    public var settings: String { whiteningSize.map { "ε \(eps), whitening sub-batches of \($0)" } ?? "ε \(eps)" }
    public func loss(_ batch: TrainingBatch) throws -> Tensor {
        try wmse(project(batch.view1, encoder, projector), project(batch.view2, encoder, projector), eps: eps,
                 whiteningSize: whiteningSize)
    }
}
