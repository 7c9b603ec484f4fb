/// Attention masks: which keys a query may not look at. They are 0/1 tensors for
/// `maskedFill(scores, mask: m, value: -∞)` before a softmax, so masked keys get weight
/// exactly 0. Through `maskedFill` (a `which`), the derivative is the gradient itself where
/// the mask is 0 and zero where it is 1: a masked score has no influence, so no gradient.

/// The causal (autoregressive, GPT-style) mask [L, L]: 1 where key j comes after query i
/// (j > i), else 0, so position i sees only positions 0…i. Broadcasts against attention
/// scores [B, L, L].
public func causalMask(_ length: Int) throws -> Tensor {
    guard length >= 0 else {
        throw TensorError.argument(op: "causalMask", template: "length {length} must not be negative", values: ["length": "\(length)"])
    }
    var data = [Float](repeating: 0, count: length * length)
    for i in 0..<length { for j in 0..<length where j > i { data[i * length + j] = 1 } }
    return Tensor(shape: [length, length], data: data)
}

/// The padding mask [B, 1, L] of token ids [B, L]: 1 where a key is the padding token, so
/// no query attends to padding. Broadcasts against attention scores [B, L, L].
/// A query row whose keys are all padding would be all −∞ and give NaN, as in PyTorch.
public func paddingMask(_ tokens: Tensor, padToken: Int) throws -> Tensor {
    guard tokens.rank == 2 else {
        throw TensorError.argument(op: "paddingMask", template: "needs token ids [B, L], got shape {shape}",
            values: ["shape": formatShape(tokens.shape)])
    }
    let pad = Float(padToken)
    return Tensor(shape: [tokens.shape[0], 1, tokens.shape[1]], data: tokens.data.map { $0 == pad ? 1 : 0 })
}
