import RunSupport

/// Layer normalisation as one primitive: each row (the last axis) standardised on its own,
/// then scaled and shifted. Unlike BatchNorm it needs no batch, so it behaves the same in
/// training and evaluation; transformers use it around every attention and feed-forward layer.

/// Normalises the last axis of `x` [..., D] (every other axis is a row index):
///
///     μ = mean(x),  σ² = mean((x − μ)²),  x̂ = (x − μ)/√(σ² + eps),  y = γ·x̂ + β
///
/// with `weight` γ and `bias` β of shape [D] (omitted: 1 and 0). The same result as
/// `standardize(x, axis: -1) * γ + β`, in two passes instead of about a dozen ops
/// (PyTorch `F.layer_norm(x, (D,), γ, β, eps)`).
///
/// Derivative, over the D values of one row, with s = 1/√(σ² + eps) and ĝ = dy·γ:
///
///     dβ = Σ_rows dy,   dγ = Σ_rows dy·x̂,   dx = s·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))
///
/// (the same algebra as BatchNorm's, along the other axis: see `Tensor+BatchNorm.swift`).
public func layerNorm(_ x: Tensor, weight: Tensor? = nil, bias: Tensor? = nil, eps: Float = 1e-5) throws -> Tensor {
    return try OpProfile.measure(.batchNorm) {
        guard x.rank >= 1, let d = x.shape.last, d > 0 else {
            throw TensorError.argument(op: "layerNorm", template: "needs [..., D] with D > 0, got shape {shape}",
                values: ["shape": formatShape(x.shape)])
        }
        for p in [weight, bias].compactMap({ $0 }) where p.shape != [d] {
            throw TensorError.shapeMismatch(op: "layerNorm", lhs: x.shape, rhs: p.shape,
                                            detail: "weight and bias must have shape [\(d)]")
        }
        guard eps > 0 else { throw TensorError.argument(op: "layerNorm", template: "eps must be positive, got {eps}",
            values: ["eps": "\(eps)"]) }
        let rows = x.count / d
        let xv = x.data
        let gamma = weight?.data ?? [Float](repeating: 1, count: d)
        let beta = bias?.data ?? [Float](repeating: 0, count: d)
        var xhat = [Float](repeating: 0, count: x.count)
        var invStd = [Float](repeating: 0, count: rows)
        let out = uninitializedArray(x.count) { y in
            for r in 0..<rows {
                let base = r * d
                var mean: Float = 0
                for j in 0..<d { mean += xv[base + j] }
                mean /= Float(d)
                var variance: Float = 0
                for j in 0..<d { let c = xv[base + j] - mean; variance += c * c }
                variance /= Float(d)
                let s = 1 / (variance + eps).squareRoot()
                invStd[r] = s
                for j in 0..<d {
                    let h = (xv[base + j] - mean) * s
                    xhat[base + j] = h
                    y[base + j] = gamma[j] * h + beta[j]
                }
            }
        }
        let parents = [x] + [weight, bias].compactMap { $0 }
        let xhatRows = xhat, invStdRows = invStd
        return Tensor.result(shape: x.shape, data: out, parents: parents) { g in
            if let weight, weight.requiresGrad {
                var dGamma = [Float](repeating: 0, count: d)
                for r in 0..<rows { for j in 0..<d { dGamma[j] += g[r * d + j] * xhatRows[r * d + j] } }
                weight.accumulateGrad(dGamma)
            }
            if let bias, bias.requiresGrad {
                var dBeta = [Float](repeating: 0, count: d)
                for r in 0..<rows { for j in 0..<d { dBeta[j] += g[r * d + j] } }
                bias.accumulateGrad(dBeta)
            }
            guard x.requiresGrad else { return }
            let dx = uninitializedArray(rows * d) { dst in
                for r in 0..<rows {
                    let base = r * d
                    var meanG: Float = 0, meanGX: Float = 0
                    for j in 0..<d {
                        let gh = g[base + j] * gamma[j]
                        meanG += gh
                        meanGX += gh * xhatRows[base + j]
                    }
                    meanG /= Float(d)
                    meanGX /= Float(d)
                    for j in 0..<d {
                        dst[base + j] = invStdRows[r] * (g[base + j] * gamma[j] - meanG - xhatRows[base + j] * meanGX)
                    }
                }
            }
            x.accumulateGrad(dx)
        }
    }
}
