import TensorCore

extension TokenDataset {
    /// The exact conditional distribution of the hidden token at `positions[n]` of each
    /// sequence `inputs[n]` (token ids [N, L]; the masked entry itself is ignored), as
    /// [N, vocabulary] probabilities. By the Markov property only the neighbours matter:
    ///
    ///     both sides:  P(x_i = b | rest) ∝ T[x_{i−1}, b] · T[b, x_{i+1}]
    ///     left only:   P(x_i = b | x_{<i}) = T[x_{i−1}, b]   (the bigram predictor)
    ///
    /// with π(b) in place of T[x_{i−1}, b] at the first position and the right factor
    /// dropped at the last. Its argmax is the Bayes-optimal (or best left-context) guess.
    public func posterior(inputs: Tensor, positions: [Int], leftOnly: Bool = false) throws -> Tensor {
        let v = vocabulary.count
        guard inputs.rank == 2, inputs.shape[0] == positions.count else {
            throw ToyDataError.argument(op: "tokenPosterior",
                template: "needs token ids [N, L] and N positions, got {shape} and {count}",
                values: ["shape": formatShape(inputs.shape), "count": "\(positions.count)"])
        }
        let (n, length) = (inputs.shape[0], inputs.shape[1])
        var out = [Float](repeating: 0, count: n * v)
        for row in 0..<n {
            let p = positions[row]
            guard p >= 0, p < length else {
                throw ToyDataError.argument(op: "tokenPosterior", template: "position {position} is not in 0..<{length}",
                    values: ["position": "\(p)", "length": "\(length)"])
            }
            func token(_ i: Int) throws -> Int {
                let value = inputs.data[row * length + i]
                guard value.rounded() == value, value >= 0, value < Float(v) else {
                    throw ToyDataError.argument(op: "tokenPosterior", template: "token {token} next to a masked position is not a word id in 0..<{vocabulary}",
                        values: ["token": "\(value)", "vocabulary": "\(v)"])
                }
                return Int(value)
            }
            var weights = p > 0 ? transition[try token(p - 1)] : stationary
            if !leftOnly && p < length - 1 {
                let right = try token(p + 1)
                for b in 0..<v { weights[b] *= transition[b][right] }
            }
            let total = weights.reduce(0, +)
            for b in 0..<v { out[row * v + b] = Float(total > 0 ? weights[b] / total : 1 / Double(v)) }
        }
        return Tensor(shape: [n, v], data: out)
    }
}
