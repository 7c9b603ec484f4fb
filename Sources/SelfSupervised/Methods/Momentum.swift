import NeuralNet

/// A target network for BYOL and MoCo: a deep copy of `online` that receives no gradient.
/// It is moved towards the online network by NeuralNet's `updateMomentum(target:online:m:)`
/// (ξ ← m ξ + (1 − m) θ) with m from `cosineMomentum(step:totalSteps:base:)`.
func frozenCopy<M: Module>(_ online: M) -> M {
    let target = deepCopy(online)
    target.freeze()
    return target
}
