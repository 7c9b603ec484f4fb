/// NT-Xent, the normalised temperature-scaled cross-entropy of SimCLR
/// (Chen et al. 2020, "A Simple Framework for Contrastive Learning of Visual Representations").
///
/// With z = normalize([z₁; z₂]) of shape [2N, D] and s = z zᵀ / τ:
///
///     ℓ = −(1/2N) Σᵢ log( exp(sᵢ,ₚ₍ᵢ₎) / Σ_{k≠i} exp(sᵢ,ₖ) )
///
/// where p(i) = i + N for the first view and i − N for the second. Both views serve as
/// anchors; each anchor has one positive and 2N − 2 negatives (its own row's diagonal is
/// excluded by setting it to −∞ before the softmax).
///
/// Shapes: z₁, z₂ [N, D] → scalar. Default τ = 0.5 (lightly's `NTXentLoss` default and the
/// SimCLR CIFAR optimum). Same value and gradient as lightly 1.6.0 `NTXentLoss` (which
/// removes the diagonal instead of masking it; the softmax is identical).
public func ntXent(_ z1: Tensor, _ z2: Tensor, temperature: Float = 0.5) throws -> Tensor {
    try checkPair(z1, z2, op: "ntXent", minimumBatch: 2)
    try checkTemperature(temperature, op: "ntXent")
    let n = z1.shape[0]
    let z = try normalize(concat([z1, z2], axis: 0), axis: 1)
    let similarity = try matmul(z, z, transposeB: true) / temperature
    let logits = try maskedFill(similarity, mask: Tensor.eye(2 * n), value: -Float.infinity)
    let positives = Array(n..<(2 * n)) + Array(0..<n)
    return try crossEntropy(logits, labels: positives)
}

/// Throws unless `a` and `b` are matrices of the same shape with at least `minimumBatch` rows.
func checkPair(_ a: Tensor, _ b: Tensor, op: String, minimumBatch: Int = 1) throws {
    guard a.rank == 2, a.shape == b.shape else {
        throw TensorError.shapeMismatch(op: op, lhs: a.shape, rhs: b.shape,
                                        detail: "needs two embeddings of the same shape [N, D]")
    }
    guard a.shape[0] >= minimumBatch, a.shape[1] >= 1 else {
        throw TensorError.argument(
            op: op, template: "needs a batch of at least {minimum} embeddings, got shape {shape}",
                values: ["minimum": "\(minimumBatch)", "shape": formatShape(a.shape)])
    }
}

/// Throws unless the temperature is a usable positive number.
func checkTemperature(_ t: Float, op: String) throws {
    guard t.isFinite, t > 1e-8 else {
        throw TensorError.argument(op: op, template: "temperature must be positive, got {temperature}", values: ["temperature": "\(t)"])
    }
}
