/// Checking hand-written gradients against central finite differences.

/// The outcome of `gradcheck`.
public struct GradcheckResult: Sendable, CustomStringConvertible {
    /// The largest |analytic − numeric| over all checked elements.
    public var maxAbsError: Double
    /// The largest |analytic − numeric| / max(|numeric|, atol) over all checked elements.
    public var maxRelError: Double
    /// Whether every element satisfied |analytic − numeric| ≤ atol + rtol·|numeric|.
    public var passed: Bool
    /// The input and flat element index of the worst element.
    public var worstInput: Int
    public var worstIndex: Int

    public var description: String {
        "gradcheck \(passed ? "passed" : "FAILED"): max abs error \(maxAbsError), max rel error \(maxRelError)" +
            " (input \(worstInput), element \(worstIndex))"
    }
}

/// Compares the gradient that `backward()` computes for `f` with central differences
///
///     ∂L/∂xᵢ ≈ (L(x + eps·eᵢ) − L(x − eps·eᵢ)) / (2·eps)
///
/// where L = Σ f(x)·w, with w fixed pseudo-random weights (seed 0) when f's output has
/// more than one element (plain summing would hide errors, e.g. softmax sums to 1).
/// Forward passes run in Float32; L is accumulated in Double. Float32 rounding limits
/// the accuracy to roughly 1e-7·|L| / eps, hence the defaults eps 1e-2, rtol 1e-2,
/// atol 1e-3. The inputs are copied; they are not modified.
public func gradcheck(_ f: ([Tensor]) throws -> Tensor, _ inputs: [Tensor],
                      eps: Float = 1e-2, rtol: Float = 1e-2, atol: Float = 1e-3) throws -> GradcheckResult {
    let leaves = inputs.map { Tensor(shape: $0.shape, data: $0.data, requiresGrad: true) }
    let out = try f(leaves)
    var rng = RandomGenerator(seed: 0)
    let weights = out.count == 1 ? [Float(1)] : (0..<out.count).map { _ in rng.nextFloat(in: -1, 1) }
    let loss = out.count == 1 ? out : sum(try mul(out, Tensor(shape: out.shape, data: weights)))
    guard loss.requiresGrad else {
        throw TensorError.argument(op: "gradcheck", template: "the function's output does not depend on its inputs", values: [:])
    }
    try loss.backward()

    func weightedLoss() throws -> Double {
        let y = try withNoGrad { try f(leaves) }
        var s = 0.0
        for (v, w) in zip(y.data, weights) { s += Double(v) * Double(w) }
        return s
    }
    var result = GradcheckResult(maxAbsError: 0, maxRelError: 0, passed: true, worstInput: 0, worstIndex: 0)
    for (k, x) in leaves.enumerated() {
        let analytic = x.grad?.data ?? [Float](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let original = x.data[i]
            x.data[i] = original + eps
            let plus = try weightedLoss()
            x.data[i] = original - eps
            let minus = try weightedLoss()
            x.data[i] = original
            let numeric = (plus - minus) / (2 * Double(eps))
            let error = Swift.abs(Double(analytic[i]) - numeric)
            let relative = error / Swift.max(Swift.abs(numeric), Double(atol))
            if error > Double(atol) + Double(rtol) * Swift.abs(numeric) { result.passed = false }
            if error > result.maxAbsError { result.worstInput = k; result.worstIndex = i }
            result.maxAbsError = Swift.max(result.maxAbsError, error)
            result.maxRelError = Swift.max(result.maxRelError, relative)
        }
    }
    return result
}

/// `gradcheck` for a function of one tensor.
public func gradcheck(_ f: (Tensor) throws -> Tensor, _ x: Tensor,
                      eps: Float = 1e-2, rtol: Float = 1e-2, atol: Float = 1e-3) throws -> GradcheckResult {
    try gradcheck({ try f($0[0]) }, [x], eps: eps, rtol: rtol, atol: atol)
}
