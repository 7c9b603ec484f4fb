import LabScript
import LabSupport
import NeuralNet
import SelfSupervised
import TensorCore
import ToyData

/// Masked prediction: the pieces of a tiny BERT (embedding, layer norm, self-attention, a
/// transformer block), what one needs to train it on masked tokens (one_hot, pick, the toy
/// language's true conditional distribution), and the tools of masked-patch regression
/// (square masks, nearest neighbours, take).
extension Builtins {
    static func transformers(_ state: BuiltinState) -> BuiltinGroup {
        func wrap(_ module: Module) -> Value { .host(ModelValue(module, state: state)) }
        func checkWeights(_ count: Double, _ context: CallContext) throws {
            guard count <= Double(context.limits.maxElements) else {
                throw RuntimeError(.limit, Messages.text("{function}: {count} weights is more than the limit of {limit} elements", ["function": context.functionName, "count": Value.format(count), "limit": String(context.limits.maxElements)]),
                                   at: context.range)
            }
        }
        /// `dim` and `heads` of an attention layer, checked: heads must divide dim.
        func attentionSizes(_ args: BoundArguments, _ context: CallContext) throws -> (dim: Int, heads: Int) {
            let dim = try args.count("dim", atLeast: 1), heads = try args.count("heads", atLeast: 1)
            guard dim % heads == 0 else {
                throw RuntimeError(.argument, Messages.text("{function}: dim {dim} must be a multiple of heads {heads}", ["function": args.functionName, "dim": String(dim), "heads": String(heads)]), at: args.range(of: "heads"))
            }
            return (dim, heads)
        }
        /// Every SelfAttention inside `module`, depth first.
        func attentionLayers(_ module: Module) -> [SelfAttention] {
            if let attention = module as? SelfAttention { return [attention] }
            return module.children.flatMap { attentionLayers($0.module) }
        }
        let dim = Parameter("dim", documentation: "the width of every position's vector")
        let heads = Parameter("heads", default: .number(1), documentation: "attention heads (they split dim between them)")
        let causal = Parameter("causal", default: .bool(false), documentation: "true: position i sees only positions ≤ i (GPT); false: all (BERT)")
        return BuiltinGroup("Transformers and masked prediction", [
            builtin("embedding", [Parameter("vocabulary", documentation: "the number of token ids (words, plus a mask token if any)"), dim,
                                  Parameter("length", default: .nilValue, documentation: "learn a vector per position for sequences up to this long")],
                    summary: "A token embedding layer: ids [B, L] → vectors [B, L, dim], plus learned position vectors with length:.",
                    details: "Row id of a learned table [vocabulary, dim] (PyTorch nn.Embedding); with length: a learned vector per position is added, so attention can tell positions apart. Its gradient is a scatter-add into the rows used.",
                    example: "emb = embedding(21, 8, length: 12)\nprint(emb(tensor([[0, 5, 20]])).shape)   # [1, 3, 8]", lesson: LessonNumber.masked) { args, context in
                let vocabulary = try args.count("vocabulary", atLeast: 1), d = try args.count("dim", atLeast: 1)
                let length = try args.optionalInt("length")
                if let length, length < 1 { throw RuntimeError(.argument, Messages.text("embedding: length must be at least 1, got {length}", ["length": String(length)]), at: args.range(of: "length")) }
                try checkWeights((Double(vocabulary) + Double(length ?? 0)) * Double(d), context)
                return wrap(Embedding(vocabularySize: vocabulary, dim: d, maxLength: length, rng: &state.rng))
            },
            builtin("layer_norm", [Parameter("features", documentation: "the size of the last axis")],
                    summary: "A layer normalisation layer: each row of the last axis standardised, then scaled and shifted (learned).",
                    details: "y = γ·(x − mean)/√(var + 1e-5) + β over the last axis (PyTorch nn.LayerNorm); the same in training and eval mode.",
                    example: "norm = layer_norm(4)\nprint(norm(tensor([[1, 2, 3, 4]])))", lesson: LessonNumber.masked) { args, context in
                let n = try args.count("features", atLeast: 1)
                try checkWeights(2 * Double(n), context)
                return wrap(LayerNorm(n))
            },
            builtin("self_attention", [dim, heads, causal],
                    summary: "A multi-head self-attention layer on sequences [B, L, dim]: softmax(q·kᵀ/√d)·v per head, then a linear map.",
                    details: "Queries, keys and values are linear maps of the same input. attention_weights(model, x) shows who looks at whom.",
                    example: "att = self_attention(8, heads: 2)\nprint(att(randn(2, 5, 8)).shape)   # [2, 5, 8]", lesson: LessonNumber.masked) { args, context in
                let (d, h) = try attentionSizes(args, context)
                try checkWeights(4 * Double(d) * Double(d + 1), context)
                return wrap(SelfAttention(dim: d, heads: h, causal: try args.bool("causal"), rng: &state.rng))
            },
            builtin("transformer_block", [dim, heads, Parameter("hidden", default: .nilValue, documentation: "the feed-forward width (default 2·dim)"), causal],
                    summary: "One pre-norm transformer block: x + attention(norm(x)), then + feed_forward(norm(·)), on sequences [B, L, dim].",
                    details: "feed_forward is Linear(dim, hidden), ReLU, Linear(hidden, dim) at every position. PyTorch: nn.TransformerEncoderLayer(dim, heads, hidden, dropout=0, norm_first=True, batch_first=True).",
                    example: "block = transformer_block(8, heads: 2, hidden: 16)\nprint(block(randn(2, 5, 8)).shape)   # [2, 5, 8]", lesson: LessonNumber.masked) { args, context in
                let (d, h) = try attentionSizes(args, context)
                let hidden = try args.optionalInt("hidden") ?? 2 * d
                guard hidden >= 1 else { throw RuntimeError(.argument, Messages.text("transformer_block: hidden must be at least 1, got {hidden}", ["hidden": String(hidden)]), at: args.range(of: "hidden")) }
                try checkWeights(4 * Double(d) * Double(d + 1) + 2 * Double(d) * Double(hidden) + Double(hidden + 5 * d), context)
                return wrap(TransformerBlock(dim: d, heads: h, hidden: hidden, causal: try args.bool("causal"), rng: &state.rng))
            },
            builtin("attention_weights", [Parameter("model", documentation: "a model containing self-attention"), Parameter("x", documentation: "its input"),
                                          Parameter("layer", default: .number(0), documentation: "which attention layer (0 = the first)")],
                    summary: "The attention weights [B, heads, L, L] of the model on x: row i says how much position i looks at each position.",
                    details: "Runs the model in eval mode without a graph; every row sums to 1.",
                    example: "net = sequential(embedding(5, 4, length: 3), transformer_block(4))\nw = attention_weights(net, tensor([[1, 2, 3]]))\nprint(w.shape)   # [1, 1, 3, 3]",
                    lesson: LessonNumber.masked) { args, context in
                guard case .host(let object as ModelValue) = args["model"] else { throw args.typeError("model", expected: "a model") }
                let layers = attentionLayers(object.module)
                let index = try args.int("layer")
                guard !layers.isEmpty else { throw context.error(Messages.text("attention_weights: the model has no self_attention layer")) }
                guard let resolved = IndexComponent.resolve(index, count: layers.count) else {
                    throw RuntimeError(.index, Messages.text("attention_weights: layer {index} is out of range for a model with {count} attention layers", ["index": String(index), "count": String(layers.count)]), at: args.range(of: "layer"))
                }
                let x = try args.tensor("x", context)
                _ = try ModelValue.embed(object.module, x, batchSize: max(x.shape.first ?? 1, 1), context: context)
                guard let weights = layers[resolved].lastWeights else { throw context.error(Messages.text("attention_weights: the model did not run its attention layer")) }
                return state.wrap(weights)
            },
            builtin("causal_mask", [Parameter.count("length", in: 0...BoundArguments.maxCount)],
                    summary: "The causal mask [L, L]: 1 where key j comes after query i (j > i); use with masked_fill(scores, mask, -inf).",
                    example: "print(causal_mask(3))", lesson: LessonNumber.masked) { args, context in
                let n = try args.count("length")
                try context.checkShape([n, n], operation: "causal_mask")
                return state.wrap(try causalMask(n))
            },
            builtin("one_hot", [Parameter("indices", documentation: "whole numbers in 0 ..< classes (a list or tensor)"), Parameter.count("classes", in: 1...BoundArguments.maxCount)],
                    summary: "One-hot vectors: shape indices.shape + [classes], a 1 at each index (no gradient).",
                    details: "one_hot(ids, V) @ table is the embedding look-up table[ids], computed the slow way.",
                    example: "print(tolist(one_hot([2, 0], 3)))   # [[0, 0, 1], [1, 0, 0]]", lesson: LessonNumber.masked) { args, context in
                let indices = try args.tensor("indices", context), classes = try args.count("classes")
                try context.checkShape(indices.shape + [classes], operation: "one_hot")
                return state.wrap(try oneHot(indices, classes: classes))
            },
            builtin("pick", [Parameter("x", documentation: "a batch of sequences [B, L, …]"), Parameter("positions", documentation: "one position per sequence (B of them)")],
                    summary: "One position of each sequence: row b is x[b, positions[b]] (the output at each masked token).",
                    details: "PyTorch x[torch.arange(B), positions]. The gradient goes back to the picked positions only.",
                    example: "h = randn(2, 4, 3)\nprint(pick(h, [3, 0]).shape)   # [2, 3]", lesson: LessonNumber.masked) { args, context in
                let positions = try TensorConversion.integers(from: args["positions"], context: context, what: "pick")
                return state.wrap(try pick(try args.tensor("x", context), positions: positions))
            },
            builtin("take", [Parameter("x", documentation: "a table whose rows are looked up"), Parameter("indices", documentation: "row numbers, any shape")],
                    summary: "Rows of x at integer indices: shape indices.shape + x.shape[1:] (NumPy np.take(x, indices, axis=0)).",
                    details: "The embedding look-up: its gradient adds back into the rows that were taken.",
                    example: "print(tolist(take(tensor([[1, 2], [3, 4], [5, 6]]), [[2, 0]])))   # [[[5, 6], [1, 2]]]", lesson: LessonNumber.masked) { args, context in
                let x = try args.tensor("x", context), indices = try args.tensor("indices", context)
                guard x.rank >= 1 else { throw context.error(Messages.text("take: x must have at least one axis")) }
                let rest = Array(x.shape.dropFirst())
                try context.checkShape(indices.shape + rest, operation: "take")
                let rows = try embedding(try reshape(x, [x.shape[0], rest.reduce(1, *)]), indices: indices)
                return state.wrap(try reshape(rows, indices.shape + rest))
            },
            builtin("token_posterior", [Parameter("data", documentation: "the tokens() data set whose language to use"),
                                        Parameter("inputs", documentation: "token ids [N, L] with one masked position per row"),
                                        Parameter("positions", documentation: "the masked position of each row"),
                                        Parameter("left_only", default: .bool(false), documentation: "true: condition on the token before only (the bigram predictor)")],
                    summary: "The toy language's exact distribution [N, vocabulary] of each masked token given the visible ones.",
                    details: "A Markov chain: P(x_i = b | rest) ∝ T[x_{i−1}, b]·T[b, x_{i+1}]. Its argmax is the Bayes-optimal prediction; with left_only, the best bigram one.",
                    example: "t = tokens(count: 4, length: 6)\nm = t.mask(seed: 1)\nprint(token_posterior(t, m.inputs, m.positions).shape)   # [4, 20]",
                    lesson: LessonNumber.masked) { args, context in
                let data = try args.host("data", as: TokensValue.self, expected: "a tokens() data set")
                let positions = try TensorConversion.integers(from: args["positions"], context: context, what: "token_posterior")
                return state.wrap(try data.tokens.posterior(inputs: try args.tensor("inputs", context), positions: positions,
                                                            leftOnly: try args.bool("left_only")))
            },
            builtin("square_mask", [Parameter.count("count", in: 0...BoundArguments.maxCount, documentation: "how many masks"), Parameter.count("image_size", default: .number(8), in: 1...BoundArguments.maxCount),
                                    Parameter.count("size", default: .number(4), in: 1...BoundArguments.maxCount, documentation: "the side of the masked square"),
                                    Parameter("row", default: .nilValue, documentation: "top row of the square (nil: random per mask)"),
                                    Parameter("col", default: .nilValue, documentation: "left column of the square (nil: random per mask)")],
                    summary: "Masks [count, 1, image_size, image_size]: 1 on a size × size square (at row, col, or at random), 0 elsewhere.",
                    details: "Random squares are drawn from the session generator, every position equally likely.",
                    example: "m = square_mask(2, image_size: 8, size: 4, row: 2, col: 2)\nprint(item(sum(m)))   # 32", lesson: LessonNumber.masked) { args, context in
                let count = try args.count("count"), side = try args.count("image_size"), size = try args.count("size")
                guard size <= side else { throw RuntimeError(.argument, Messages.text("square_mask: size {size} is larger than image_size {side}", ["size": String(size), "side": String(side)]), at: args.range(of: "size")) }
                try context.checkShape([count, 1, side, side], operation: "square_mask")
                let fixedRow = try args.optionalInt("row"), fixedCol = try args.optionalInt("col")
                for (name, value) in [("row", fixedRow), ("col", fixedCol)] {
                    if let value, value < 0 || value > side - size {
                        throw RuntimeError(.argument, Messages.text("square_mask: {name} must lie in 0...{most}, got {value}", ["name": name, "most": String(side - size), "value": String(value)]), at: args.range(of: name))
                    }
                }
                var data = [Float](repeating: 0, count: count * side * side)
                for n in 0..<count {
                    let r = fixedRow ?? state.rng.nextInt(below: side - size + 1)
                    let c = fixedCol ?? state.rng.nextInt(below: side - size + 1)
                    for i in r..<(r + size) { for j in c..<(c + size) { data[(n * side + i) * side + j] = 1 } }
                }
                return state.wrap(Tensor(shape: [count, 1, side, side], data: data))
            },
            builtin("nearest_neighbors", [Parameter("queries", documentation: "[M, d]"), Parameter("keys", documentation: "[N, d]"),
                                          Parameter.count("k", default: .number(10), in: 1...BoundArguments.maxCount)],
                    summary: "The indices [M, k] of the k rows of keys nearest to each query (Euclidean), nearest first.",
                    details: "With take(values, indices) this gives the values of the neighbours, e.g. the plausible completions of a masked image.",
                    example: "print(tolist(nearest_neighbors(tensor([[0, 0]]), tensor([[5, 5], [1, 0], [0, 2]]), k: 2)))   # [[1, 2]]",
                    lesson: LessonNumber.masked) { args, context in
                let queries = try args.tensor("queries", context), keys = try args.tensor("keys", context)
                let k = try args.count("k")
                try context.checkShape([queries.shape.first ?? 0, k], operation: "nearest_neighbors")
                try context.checkShape([queries.shape.first ?? 0, keys.shape.first ?? 0], operation: "nearest_neighbors")
                return state.wrap(try nearestNeighbors(queries: queries, keys: keys, k: k))
            },
        ])
    }
}

extension ModelValue {
    /// Refuses inputs whose attention scores [B·heads, L, L] would pass the element limit:
    /// they grow with the square of the sequence length, faster than the input does.
    static func checkAttentionSize(_ module: Module, _ x: Tensor, batch: Int, context: CallContext) throws {
        guard x.rank >= 2 else { return }
        func heads(_ m: Module) -> Int {
            (m as? SelfAttention)?.heads ?? m.children.map { heads($0.module) }.max() ?? 0
        }
        let h = heads(module)
        guard h > 0 else { return }
        let length = Double(x.shape[1])
        let scores = Double(batch) * Double(h) * length * length
        guard scores <= Double(context.limits.maxElements) else {
            throw RuntimeError(.limit, Messages.text("{function}: attention over {positions} positions needs {count} scores, more than the limit of {limit} elements", ["function": context.functionName, "positions": String(x.shape[1]), "count": Value.format(scores), "limit": String(context.limits.maxElements)]),
                               at: context.range)
        }
    }
}
