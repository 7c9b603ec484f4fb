import TensorCore

/// Token ids to vectors: a learned table [vocabulary, dim], and optionally a learned vector
/// per position [maxLength, dim] added to it (BERT's "learned positions").
///
/// Attention by itself does not know where a token is: permute the inputs and the outputs
/// permute the same way. The position vectors are what let a transformer tell its left
/// neighbour from its right one.
///
/// Input: ids [B, L] (whole numbers as floats, each in 0..<vocabulary) with L ≤ maxLength;
/// output [B, L, dim] = table[ids] + positions[0..<L]. Parameters are named `weight` (as
/// PyTorch's `nn.Embedding`) and `position`; both start N(0, 1), PyTorch's default for
/// `nn.Embedding`.
public final class Embedding: Module {
    public let vocabularySize: Int
    public let dim: Int
    /// The token table [vocabulary, dim].
    public let weight: Tensor
    /// The position table [maxLength, dim], or nil for a plain look-up.
    public let position: Tensor?

    public init(vocabularySize: Int, dim: Int, maxLength: Int? = nil, rng: inout RandomGenerator) {
        precondition(vocabularySize > 0 && dim > 0 && (maxLength ?? 1) > 0,
                     "Embedding: sizes \(vocabularySize), \(dim), \(maxLength ?? 1) must be positive")
        self.vocabularySize = vocabularySize
        self.dim = dim
        weight = Tensor.randn([vocabularySize, dim], using: &rng)
        weight.requiresGrad = true
        position = maxLength.map { Tensor.randn([$0, dim], using: &rng) }
        position?.requiresGrad = true
        super.init()
    }

    /// An embedding with the given tables (used by `copy()` and tests).
    public init(weight: Tensor, position: Tensor?) {
        precondition(weight.rank == 2 && (position == nil || (position!.rank == 2 && position!.shape[1] == weight.shape[1])),
                     "Embedding: tables \(formatShape(weight.shape)) and \(formatShape(position?.shape ?? [])) do not fit")
        vocabularySize = weight.shape[0]
        dim = weight.shape[1]
        self.weight = weight
        self.position = position
        super.init()
    }

    /// The longest sequence the position table covers (nil: any length).
    public var maxLength: Int? { position?.shape[0] }

    public override func forward(_ x: Tensor) throws -> Tensor {
        guard x.rank == 2 else {
            throw TensorError.shapeMismatch(op: summary, lhs: x.shape, rhs: weight.shape, detail: "needs token ids [B, L]")
        }
        let tokens = try embedding(weight, indices: x)
        guard let position else { return tokens }
        let length = x.shape[1]
        guard length <= position.shape[0] else {
            throw TensorError.argument(op: summary, template: "sequences of length {length} are longer than the {positions} learned positions",
                values: ["length": "\(length)", "positions": "\(position.shape[0])"])
        }
        return try tokens + slice(position, axis: 0, SliceRange(0, length))
    }

    public override var localParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (position.map { [("position", $0)] } ?? [])
    }

    public override func copy() -> Module {
        let c = Embedding(weight: cloneTensor(weight), position: position.map(cloneTensor))
        copyMode(to: c)
        return c
    }

    public override var summary: String {
        "Embedding(\(vocabularySize), \(dim)\(maxLength.map { ", positions: \($0)" } ?? ""))"
    }
}
