import RunSupport

/// Softmax and friends, composed from primitives (no gradient code of their own).

/// log Σ exp(x) along `axis`, computed stably as m + log Σ exp(x − m) with m the
/// (detached) maximum: m only shifts the values, so it needs no gradient.
public func logsumexp(_ x: Tensor, axis: Int, keepDim: Bool = false) throws -> Tensor {
    let axis = try normalizeAxis(axis, rank: x.rank, op: "logsumexp", shape: x.shape)
    let m = try max(x, axis: axis, keepDim: true).detach()
    let lse = try log(sum(exp(x - m), axis: axis, keepDim: true)) + m
    return keepDim ? lse : try squeeze(lse, axis: axis)
}

/// softmax(x)ᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m) along `axis` (m the detached maximum).
public func softmax(_ x: Tensor, axis: Int = -1) throws -> Tensor {
    return try OpProfile.measure(.reduction) {
        let axis = try normalizeAxis(axis, rank: x.rank, op: "softmax", shape: x.shape)
        let e = exp(try x - max(x, axis: axis, keepDim: true).detach())
        return try e / sum(e, axis: axis, keepDim: true)
    }
}

/// log softmax(x) = x − logsumexp(x) along `axis`.
public func logSoftmax(_ x: Tensor, axis: Int = -1) throws -> Tensor {
    let axis = try normalizeAxis(axis, rank: x.rank, op: "logSoftmax", shape: x.shape)
    return try x - logsumexp(x, axis: axis, keepDim: true)
}

/// Mean cross-entropy of `logits` [N, C] against integer class `labels` (N of them, in
/// 0..<C): −(1/N) Σᵢ log softmax(logitsᵢ)[labelᵢ].
public func crossEntropy(_ logits: Tensor, labels: [Int]) throws -> Tensor {
    return try OpProfile.measure(.reduction) {
        guard logits.rank == 2, logits.shape[0] == labels.count else {
            throw TensorError.shapeMismatch(op: "crossEntropy", lhs: logits.shape, rhs: [labels.count],
                                            detail: "needs logits [N, C] and N labels")
        }
        let classes = logits.shape[1]
        if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
            throw TensorError.argument(op: "crossEntropy", template: "label {label} is not in 0..<{classes}",
                values: ["label": "\(bad)", "classes": "\(classes)"])
        }
        let index = Tensor(shape: [labels.count, 1], data: labels.map(Float.init))
        return -mean(try gather(logSoftmax(logits, axis: 1), axis: 1, index: index))
    }
}

/// `crossEntropy` with the labels given as a tensor of whole numbers (shape [N]).
public func crossEntropy(_ logits: Tensor, labels: Tensor) throws -> Tensor {
    guard labels.rank == 1 else {
        throw TensorError.shapeMismatch(op: "crossEntropy", lhs: logits.shape, rhs: labels.shape,
                                        detail: "labels must be a vector of class indices")
    }
    let classes = logits.rank == 2 ? logits.shape[1] : 0
    return try crossEntropy(logits, labels: integerIndices(labels, limit: classes, op: "crossEntropy"))
}
