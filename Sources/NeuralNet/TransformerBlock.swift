import TensorCore

/// One transformer encoder block in the pre-norm arrangement (GPT-2, ViT; it trains more
/// easily than the original post-norm one):
///
///     h = x + attention(norm1(x))          every position looks at the others
///     y = h + feedForward(norm2(h))        then each position is transformed on its own
///
/// with `feedForward` = Linear(dim, hidden), ReLU, Linear(hidden, dim) applied to every
/// position. The residual additions let each layer learn a correction to its input.
/// Input and output are sequences [B, L, dim]. PyTorch:
/// `nn.TransformerEncoderLayer(dim, heads, hidden, dropout=0, activation="relu", norm_first=True, batch_first=True)`.
public final class TransformerBlock: Module {
    public let dim: Int
    public let hidden: Int
    public let norm1: LayerNorm
    public let attention: SelfAttention
    public let norm2: LayerNorm
    public let feedForward: Sequential

    public init(dim: Int, heads: Int = 1, hidden: Int? = nil, causal: Bool = false, rng: inout RandomGenerator) {
        let hidden = hidden ?? 2 * dim
        precondition(hidden > 0, "TransformerBlock: hidden \(hidden) must be positive")
        self.dim = dim
        self.hidden = hidden
        norm1 = LayerNorm(dim)
        attention = SelfAttention(dim: dim, heads: heads, causal: causal, rng: &rng)
        norm2 = LayerNorm(dim)
        feedForward = Sequential(Linear(dim, hidden, rng: &rng), ReLU(), Linear(hidden, dim, rng: &rng))
        super.init()
    }

    init(dim: Int, hidden: Int, norm1: LayerNorm, attention: SelfAttention, norm2: LayerNorm, feedForward: Sequential) {
        self.dim = dim; self.hidden = hidden
        self.norm1 = norm1; self.attention = attention; self.norm2 = norm2; self.feedForward = feedForward
        super.init()
    }

    public override func forward(_ x: Tensor) throws -> Tensor {
        guard x.rank == 3, x.shape[2] == dim else {
            throw TensorError.shapeMismatch(op: summary, lhs: x.shape, rhs: [dim], detail: "needs a sequence [B, L, \(dim)]")
        }
        let h = try x + attention(norm1(x))
        let (b, l) = (x.shape[0], x.shape[1])
        let f = try feedForward(reshape(norm2(h), [b * l, dim]))
        return try h + reshape(f, [b, l, dim])
    }

    public override var children: [(name: String, module: Module)] {
        [("norm1", norm1), ("attention", attention), ("norm2", norm2), ("feed_forward", feedForward)]
    }

    public override func copy() -> Module {
        let c = TransformerBlock(dim: dim, hidden: hidden, norm1: deepCopy(norm1), attention: deepCopy(attention),
                                 norm2: deepCopy(norm2), feedForward: deepCopy(feedForward))
        copyMode(to: c)
        return c
    }

    public override var summary: String {
        "TransformerBlock(\(dim), heads: \(attention.heads), hidden: \(hidden)\(attention.causal ? ", causal" : ""))"
    }
}
