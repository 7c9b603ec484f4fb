import TensorCore

extension Dataset {
    /// A stratified train/test split: each class contributes to the test set in proportion
    /// to its size (largest-remainder rounding, so the test set has exactly `testCount`
    /// samples). Within each class the test samples are drawn at random from `seed`; both
    /// halves keep the original order of the rows.
    public func split(testCount: Int, seed: UInt64) throws -> (train: Dataset, test: Dataset) {
        guard testCount >= 0, testCount <= count else {
            throw ToyDataError.argument(op: "split", template: "test count {test} must lie in 0...{count}",
                values: ["test": "\(testCount)", "count": "\(count)"])
        }
        let byClass = indicesByClass()
        // Largest-remainder apportionment of testCount over the classes.
        let exact = byClass.map { Double($0.count) * Double(testCount) / Double(max(count, 1)) }
        var quota = exact.map { Int($0.rounded(.down)) }
        let order = exact.indices.sorted { a, b in
            let fa = exact[a] - Double(quota[a]), fb = exact[b] - Double(quota[b])
            return fa != fb ? fa > fb : a < b
        }
        var missing = testCount - quota.reduce(0, +)
        for c in order where missing > 0 { quota[c] += 1; missing -= 1 }

        var rng = RandomGenerator(seed: seed)
        var isTest = [Bool](repeating: false, count: count)
        for (c, members) in byClass.enumerated() {
            var shuffled = members
            rng.shuffle(&shuffled)
            for i in shuffled.prefix(quota[c]) { isTest[i] = true }
        }
        let test = (0..<count).filter { isTest[$0] }
        let train = (0..<count).filter { !isTest[$0] }
        return (try selecting(train), try selecting(test))
    }

    /// A stratified split with `testFraction` of the samples (rounded) in the test set.
    public func split(testFraction: Double, seed: UInt64) throws -> (train: Dataset, test: Dataset) {
        guard testFraction >= 0, testFraction <= 1 else {
            throw ToyDataError.argument(op: "split", template: "test fraction {fraction} must lie in [0, 1]",
                values: ["fraction": "\(testFraction)"])
        }
        return try split(testCount: Int((testFraction * Double(count)).rounded()), seed: seed)
    }

    /// `k` samples of every class, drawn at random from `seed` (as a few-label probe uses),
    /// in their original order. Throws when a class has fewer than `k` samples.
    public func labelledSubset(perClass k: Int, seed: UInt64) throws -> Dataset {
        let byClass = indicesByClass()
        let smallest = byClass.map(\.count).min() ?? 0
        guard k >= 1, k <= smallest else {
            throw ToyDataError.argument(op: "labelled_subset",
                template: "k = {k} examples per class, but it must lie in 1...{smallest} (the smallest class)",
                values: ["k": "\(k)", "smallest": "\(smallest)"])
        }
        var rng = RandomGenerator(seed: seed)
        var chosen: [Int] = []
        for members in byClass {
            var shuffled = members
            rng.shuffle(&shuffled)
            chosen += shuffled.prefix(k)
        }
        return try selecting(chosen.sorted())
    }

    /// Shuffled mini-batches of `size` rows: one pass over the data in the order of a
    /// permutation drawn from `seed`. The last batch is smaller unless `dropLast` is set.
    public func batches(size: Int, seed: UInt64, dropLast: Bool = false) throws -> BatchSequence {
        guard size >= 1 else {
            throw ToyDataError.argument(op: "batches", template: "batch size {size} must be at least 1", values: ["size": "\(size)"])
        }
        var rng = RandomGenerator(seed: seed)
        return BatchSequence(dataset: self, order: rng.permutation(count), size: size, dropLast: dropLast)
    }
}

/// One mini-batch: the rows' inputs and labels, and which rows of the data set they are.
public struct DataBatch {
    public let inputs: Tensor
    public let labels: [Int]
    public let indices: [Int]
}

/// The mini-batches of one shuffled pass over a data set (see `Dataset.batches`).
public struct BatchSequence: Sequence {
    public let dataset: Dataset
    /// The permutation of the rows that the batches follow.
    public let order: [Int]
    public let size: Int
    public let dropLast: Bool

    /// The number of batches in one pass.
    public var batchCount: Int {
        dropLast ? order.count / size : (order.count + size - 1) / size
    }

    public func makeIterator() -> Iterator { Iterator(sequence: self, position: 0) }

    public struct Iterator: IteratorProtocol {
        let sequence: BatchSequence
        var position: Int
        public mutating func next() -> DataBatch? {
            guard position < sequence.batchCount else { return nil }
            let start = position * sequence.size
            let idx = Array(sequence.order[start..<Swift.min(start + sequence.size, sequence.order.count)])
            position += 1
            // Indices come from a permutation of 0..<count, so selecting cannot fail.
            guard let rows = try? sequence.dataset.selecting(idx) else { return nil }
            return DataBatch(inputs: rows.inputs, labels: rows.labels, indices: idx)
        }
    }
}
