import TensorCore

/// Scaled dot-product attention (Vaswani et al., 2017) on queries, keys and values
/// [N, L, d]: every query position takes a weighted average of the value vectors, with
/// weights softmax(q·kᵀ/√d) over the key positions,
///
///     weights = softmax(Q·Kᵀ/√d + mask·(−∞)),   output = weights·V
///
/// The 1/√d keeps the scores' spread independent of d, so the softmax does not saturate.
/// `mask` (1 = may not look, broadcast to [N, L, L], e.g. `causalMask(L)`) sets those scores
/// to −∞, so their weights are exactly 0. Returns the output [N, L, d] and the weights
/// [N, L, L] (row i: how much query i looks at each key). A composition of batched
/// `matmul`, `maskedFill` and `softmax`, so its gradient comes from them.
public func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil) throws
    -> (output: Tensor, weights: Tensor) {
    guard query.rank == 3, let d = query.shape.last, d > 0 else {
        throw TensorError.shapeMismatch(op: "attention", lhs: query.shape, rhs: key.shape, detail: "needs queries [N, L, d]")
    }
    var scores = try matmul(query, key, transposeB: true) * (1 / Float(d).squareRoot())
    if let mask { scores = try maskedFill(scores, mask: mask, value: -Float.infinity) }
    let weights = try softmax(scores, axis: -1)
    return (try matmul(weights, value), weights)
}

/// Multi-head self-attention on a sequence x [B, L, dim]: queries, keys and values are
/// three linear maps of the same x, split into `heads` heads of dim/heads each; every head
/// attends on its own (`scaledDotProductAttention`), the heads are put side by side again
/// and a fourth linear map mixes them (PyTorch `nn.MultiheadAttention(dim, heads)` with
/// query = key = value = x). With `causal`, position i sees only positions ≤ i (GPT);
/// without, every position sees the whole sequence (BERT).
///
/// Each forward pass keeps its attention weights [B, heads, L, L] in `lastWeights`
/// (detached, no copy), so one can look at what the model looks at.
public final class SelfAttention: Module {
    public let dim: Int
    public let heads: Int
    public let causal: Bool
    public let query: Linear
    public let key: Linear
    public let value: Linear
    public let output: Linear
    /// The attention weights [B, heads, L, L] of the last forward pass (no gradient).
    public private(set) var lastWeights: Tensor?

    public init(dim: Int, heads: Int = 1, causal: Bool = false, rng: inout RandomGenerator) {
        precondition(dim > 0 && heads > 0 && dim % heads == 0, "SelfAttention: dim \(dim) must be a positive multiple of heads \(heads)")
        self.dim = dim
        self.heads = heads
        self.causal = causal
        query = Linear(dim, dim, rng: &rng)
        key = Linear(dim, dim, rng: &rng)
        value = Linear(dim, dim, rng: &rng)
        output = Linear(dim, dim, rng: &rng)
        super.init()
    }

    init(dim: Int, heads: Int, causal: Bool, query: Linear, key: Linear, value: Linear, output: Linear) {
        self.dim = dim; self.heads = heads; self.causal = causal
        self.query = query; self.key = key; self.value = value; self.output = output
        super.init()
    }

    public override func forward(_ x: Tensor) throws -> Tensor {
        guard x.rank == 3, x.shape[2] == dim else {
            throw TensorError.shapeMismatch(op: summary, lhs: x.shape, rhs: [dim], detail: "needs a sequence [B, L, \(dim)]")
        }
        let (b, l, h, dh) = (x.shape[0], x.shape[1], heads, dim / heads)
        let rows = try reshape(x, [b * l, dim])
        // [B·L, dim] → [B·heads, L, dim/heads]: each head's slice of every position.
        func splitHeads(_ t: Tensor) throws -> Tensor {
            if h == 1 { return try reshape(t, [b, l, dh]) }
            return try reshape(permute(reshape(t, [b, l, h, dh]), [0, 2, 1, 3]), [b * h, l, dh])
        }
        let (attended, weights) = try scaledDotProductAttention(
            query: splitHeads(query(rows)), key: splitHeads(key(rows)), value: splitHeads(value(rows)),
            mask: causal ? causalMask(l) : nil)
        lastWeights = try reshape(weights.detach(), [b, h, l, l])
        let merged = h == 1 ? try reshape(attended, [b * l, dim])
            : try reshape(permute(reshape(attended, [b, h, l, dh]), [0, 2, 1, 3]), [b * l, dim])
        return try reshape(output(merged), [b, l, dim])
    }

    public override var children: [(name: String, module: Module)] {
        [("query", query), ("key", key), ("value", value), ("output", output)]
    }

    public override func copy() -> Module {
        let c = SelfAttention(dim: dim, heads: heads, causal: causal, query: deepCopy(query), key: deepCopy(key),
                              value: deepCopy(value), output: deepCopy(output))
        copyMode(to: c)
        return c
    }

    public override var summary: String {
        "SelfAttention(\(dim), heads: \(heads)\(causal ? ", causal" : ""))"
    }
}
