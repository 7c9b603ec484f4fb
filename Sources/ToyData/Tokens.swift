import TensorCore

/// A toy language for masked-token prediction: sequences from a first-order Markov chain
/// over a 20-word vocabulary.
///
/// The chain (fixed by `languageSeed`): every token has three possible successors with
/// probabilities 0.65, 0.25 and 0.10. The most likely successors form one cycle through
/// all 20 tokens, so the chain is irreducible; the other two are random distinct tokens.
/// Sequences start from the stationary distribution π, so every position is alike.
///
/// Because of the Markov property, a masked token x_i depends on the rest of the sequence
/// only through its neighbours: P(x_i = b | rest) ∝ T[x_{i−1}, b] · T[b, x_{i+1}]
/// (one-sided at the ends). `bayesOptimalAccuracy` is the exact expected accuracy of the
/// best possible predictor of one uniformly chosen masked position,
///   interior: Σ_{a,c} π(a) max_b T[a,b] T[b,c];  first: Σ_c max_b π(b) T[b,c];
///   last: Σ_a π(a) max_b T[a,b];  averaged over the `length` positions.
/// `bigramAccuracy` (left context only) is Σ_a π(a) max_b T[a,b].
public struct TokenDataset {
    /// The words; token id k is `vocabulary[k]`.
    public let vocabulary: [String]
    /// The id of the mask token (`vocabulary.count`, one past the words).
    public var maskToken: Int { vocabulary.count }
    /// The sequences, `count` of them, each `length` long.
    public let sequences: [[Int]]
    /// The transition matrix T[a][b] = P(next = b | current = a).
    public let transition: [[Double]]
    /// The stationary distribution π of the chain.
    public let stationary: [Double]
    /// Best possible accuracy predicting one uniformly chosen masked position from the rest.
    public let bayesOptimalAccuracy: Double
    /// Best possible accuracy predicting a token from the token before it only.
    public let bigramAccuracy: Double
    public let seed: UInt64

    /// The sequences as a `[count, length]` tensor of token ids (as Float).
    public var inputs: Tensor {
        let length = sequences.first?.count ?? 0
        return Tensor(shape: [sequences.count, length], data: sequences.flatMap { $0.map(Float.init) })
    }

    /// Masks one uniformly chosen position per sequence (replaced by `maskToken`), drawn
    /// from `seed`; returns the masked ids `[count, length]`, the positions and the targets.
    public func maskOnePosition(seed: UInt64) -> (inputs: Tensor, positions: [Int], targets: [Int]) {
        var rng = RandomGenerator(seed: seed)
        var masked = sequences
        var positions: [Int] = [], targets: [Int] = []
        for i in masked.indices where !masked[i].isEmpty {
            let p = rng.nextInt(below: masked[i].count)
            positions.append(p); targets.append(masked[i][p])
            masked[i][p] = maskToken
        }
        let length = sequences.first?.count ?? 0
        return (Tensor(shape: [masked.count, length], data: masked.flatMap { $0.map(Float.init) }), positions, targets)
    }
}

/// The words of the toy language.
public let tokenVocabulary = ["the", "a", "cat", "dog", "sat", "ran", "on", "under", "mat", "log",
                              "big", "small", "red", "blue", "and", "then", "slept", "ate", "fish", "home"]

/// `count` sequences of `length` tokens from the toy Markov language (see `TokenDataset`).
public func tokens(count: Int = 2000, length: Int = 16, seed: UInt64 = 0, languageSeed: UInt64 = 0) throws -> TokenDataset {
    guard count >= 0 else { throw ToyDataError.argument(op: "tokens", template: "count {count} must not be negative",
        values: ["count": "\(count)"]) }
    guard length >= 2, length <= 4096 else {
        throw ToyDataError.argument(op: "tokens", template: "length {length} must lie in 2...4096", values: ["length": "\(length)"])
    }
    let v = tokenVocabulary.count
    let t = markovTransition(vocabularySize: v, seed: languageSeed)
    let pi = stationaryDistribution(t)

    var rng = RandomGenerator(seed: seed)
    func draw(_ p: [Double]) -> Int {
        let u = rng.nextDouble()
        var acc = 0.0
        for (k, pk) in p.enumerated() { acc += pk; if u < acc { return k } }
        return p.lastIndex(where: { $0 > 0 }) ?? 0
    }
    var sequences: [[Int]] = []
    sequences.reserveCapacity(count)
    for _ in 0..<count {
        var s = [draw(pi)]
        while s.count < length { s.append(draw(t[s[s.count - 1]])) }
        sequences.append(s)
    }

    // Exact Bayes-optimal accuracies (see TokenDataset).
    var interior = 0.0, first = 0.0, last = 0.0, bigram = 0.0
    for a in 0..<v {
        bigram += pi[a] * (t[a].max() ?? 0)
        for c in 0..<v {
            interior += pi[a] * ((0..<v).map { t[a][$0] * t[$0][c] }.max() ?? 0)
        }
    }
    for c in 0..<v { first += (0..<v).map { pi[$0] * t[$0][c] }.max() ?? 0 }
    last = bigram
    let bayes = (Double(length - 2) * interior + first + last) / Double(length)
    return TokenDataset(vocabulary: tokenVocabulary, sequences: sequences, transition: t, stationary: pi,
                        bayesOptimalAccuracy: bayes, bigramAccuracy: bigram, seed: seed)
}

/// The language's transition matrix: successor probabilities 0.65 / 0.25 / 0.10; the first
/// successors follow one random cycle through all tokens (irreducible chain).
func markovTransition(vocabularySize v: Int, seed: UInt64) -> [[Double]] {
    var rng = RandomGenerator(seed: seed ^ 0x70_6B_65_6E)
    let cycle = rng.permutation(v)
    var next = [Int](repeating: 0, count: v)
    for k in 0..<v { next[cycle[k]] = cycle[(k + 1) % v] }
    var t = [[Double]](repeating: [Double](repeating: 0, count: v), count: v)
    for a in 0..<v {
        var successors = [next[a]]
        while successors.count < 3 {
            let b = rng.nextInt(below: v)
            if !successors.contains(b) { successors.append(b) }
        }
        for (b, p) in zip(successors, [0.65, 0.25, 0.10]) { t[a][b] = p }
    }
    return t
}

/// The stationary distribution of an irreducible chain, by iterating the lazy chain
/// π ← (π + πT)/2 (same fixed point, always aperiodic) until it stops changing.
func stationaryDistribution(_ t: [[Double]]) -> [Double] {
    let v = t.count
    var pi = [Double](repeating: 1 / Double(v), count: v)
    for _ in 0..<10_000 {
        var next = [Double](repeating: 0, count: v)
        for a in 0..<v { for b in 0..<v { next[b] += pi[a] * t[a][b] } }
        var change = 0.0
        for b in 0..<v { next[b] = 0.5 * (pi[b] + next[b]); change += abs(next[b] - pi[b]) }
        pi = next
        if change < 1e-13 { break }
    }
    let total = pi.reduce(0, +)
    return pi.map { $0 / total }
}
