import Foundation
import LabSupport
import NeuralNet
import ToyData

/// Trains `method` on `data` — the one loop every method shares.
///
/// For each epoch: the data is shuffled into batches (seed `configuration.seed &+ epoch`),
/// each batch gets two views from `configuration.views` (or the raw inputs), and one step
/// runs `zeroGrad → method.loss → backward → optimiser.step → method.afterStep`, with the
/// learning rate from the schedule. After each epoch `evaluate(epoch)` may add metrics
/// to the history, and the collapse meters of every network output are measured on a
/// fixed probe batch (`OutputProbe`; also once before the first step, as
/// `initialOutputs`).
///
/// - `shouldCancel` is checked before every step (cooperative cancellation, e.g. Ctrl-C);
///   when it returns true the loop stops and the history says `.cancelled(step:)`.
/// - `progress` is called after every step, `epochEnded` after every epoch with the history
///   so far (the live collapse monitor reads it).
/// - A loss or gradient that is NaN or ±∞ stops training with `TrainingError.nonFinite`,
///   naming the step and a likely cause; the parameters are left as they were before the
///   bad step's update.
///
/// Same seed, same data, same method initialisation → the same numbers, bit for bit.
@discardableResult
public func train(_ method: RepresentationMethod, on data: Dataset, configuration c: TrainingConfiguration,
                  shouldCancel: () -> Bool = { false },
                  progress: (TrainingProgress) -> Void = { _ in },
                  evaluate: ((_ epoch: Int) throws -> [String: Double])? = nil,
                  epochEnded: (_ sofar: TrainingHistory) -> Void = { _ in }) throws -> TrainingHistory {
    guard c.epochs >= 0, c.batchSize >= 2, data.count >= 2 else {
        throw TrainingError.invalidConfiguration(
            "needs epochs ≥ 0, batch size ≥ 2 and at least 2 examples (got \(c.epochs), \(c.batchSize), \(data.count))")
    }
    guard c.learningRate.isFinite, c.learningRate > 0 else {
        throw TrainingError.invalidConfiguration("learning rate must be positive, got \(c.learningRate)")
    }
    if let views = c.views, data.inputs.rank == 4 {
        try views.first.validate(height: data.inputs.shape[2], width: data.inputs.shape[3])
        try views.second.validate(height: data.inputs.shape[2], width: data.inputs.shape[3])
    }
    let batchSize = Swift.min(c.batchSize, data.count)
    let stepsPerEpoch = c.dropLast ? data.count / batchSize : (data.count + batchSize - 1) / batchSize
    let totalSteps = stepsPerEpoch * c.epochs
    let parameters = method.parameters
    let optimizer = c.optimizer.make(parameters, learningRate: c.learningRate)
    var viewRNG = RandomGenerator(seed: c.seed ^ 0x5eed_7a1e)
    var history = TrainingHistory()
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = processCPUSeconds()
    var step = 0
    method.setTraining(true)
    /// The history so far, for a run stopped before `step + 1`.
    func stopped() -> TrainingHistory {
        history.outcome = .cancelled(step: step + 1)
        history.steps = step
        history.seconds = (clock.now - start).seconds
        history.cpuSeconds = processCPUSeconds() - cpuStart
        return history
    }

    // An op that polls cancellation (views, k-means, …) may stop inside a step: the run
    // then ends as one stopped between steps does, with the history so far.
    do {
        let probe = try OutputProbe(data: data, configuration: c)
        if let probe {
            history.probeSize = probe.count
            history.initialOutputs = try probe.measure(method)
            method.setTraining(true)
        }
        for epoch in 1...Swift.max(c.epochs, 1) where c.epochs > 0 {
            let epochStart = clock.now
            var lossSum = 0.0, lossCount = 0
            let order = try method.beforeEpoch(epoch, inputs: { try flatInputs(data, c) }, labels: data.labels,
                                               seed: c.seed &+ UInt64(epoch))
            for batch in try epochBatches(data, order: order, size: batchSize, seed: c.seed &+ UInt64(epoch), dropLast: c.dropLast) {
                if shouldCancel() { return stopped() }
                let lr = c.schedule.rate(base: c.learningRate, step: step, totalSteps: totalSteps, stepsPerEpoch: stepsPerEpoch)
                optimizer.learningRate = lr
                let trainingBatch = try makeBatch(batch, configuration: c, rng: &viewRNG)
                optimizer.zeroGrad()
                let loss = try method.loss(trainingBatch)
                let value = Double(loss.data[0])
                guard value.isFinite else {
                    throw TrainingError.nonFinite(method: method.name, step: step + 1, epoch: epoch, what: "the loss (\(value))",
                                                  likelyCause: likelyCause(learningRate: lr, history: history, step: step))
                }
                try loss.backward()
                if let bad = parameters.firstIndex(where: { p in p.grad?.data.contains { !$0.isFinite } ?? false }) {
                    throw TrainingError.nonFinite(method: method.name, step: step + 1, epoch: epoch,
                                                  what: "the gradient of parameter \(bad) \(formatShape(parameters[bad].shape))",
                                                  likelyCause: likelyCause(learningRate: lr, history: history, step: step))
                }
                if !TrainingTestHooks.untrained { optimizer.step() }
                step += 1
                try method.afterStep(step: step, totalSteps: totalSteps)
                lossSum += value; lossCount += 1
                let elapsed = Swift.max((clock.now - start).seconds, 1e-9)
                progress(TrainingProgress(step: step, totalSteps: totalSteps, epoch: epoch, epochs: c.epochs, loss: value,
                                          examplesPerSecond: Double(step * batchSize) / elapsed, learningRate: lr))
            }
            let metrics = (try evaluate?(epoch) ?? [:]).merging(method.epochMetrics) { a, _ in a }
            // The epoch's steps are done: it is recorded even when a stop arrives while its
            // outputs are measured (then without them).
            var outputs: [NetworkOutput: OutputStatistics] = [:]
            var stopping = false
            do {
                outputs = try probe?.measure(method) ?? [:]
            } catch let error as TensorError {
                guard case .cancelled = error, shouldCancel() else { throw error }
                stopping = true
            }
            method.setTraining(true)
            history.epochs.append(EpochRecord(epoch: epoch, meanLoss: lossSum / Double(Swift.max(lossCount, 1)),
                                              seconds: (clock.now - epochStart).seconds, metrics: metrics, outputs: outputs))
            if stopping { return stopped() }
            epochEnded(history)
        }
    } catch let error as TensorError {
        guard case .cancelled = error, shouldCancel() else { throw error }
        return stopped()
    }
    history.steps = step
    history.seconds = (clock.now - start).seconds
    history.cpuSeconds = processCPUSeconds() - cpuStart
    return history
}

/// CPU time used by this process so far (all threads), in seconds.
public func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The inputs as the networks take them (flattened when configured).
func flatInputs(_ data: Dataset, _ c: TrainingConfiguration) throws -> Tensor {
    c.flattenInputs ? try flatten(data.inputs, startAxis: 1) : data.inputs
}

/// One epoch's batches: the shuffled pass of `data.batches`, or the rows of `order` in
/// that order (a method's choice, see `RepresentationMethod.beforeEpoch`), cut the same way.
func epochBatches(_ data: Dataset, order: [Int]?, size: Int, seed: UInt64, dropLast: Bool) throws -> [LoopBatch] {
    guard let order else {
        return try data.batches(size: size, seed: seed, dropLast: dropLast).map { LoopBatch(inputs: $0.inputs, labels: $0.labels, indices: $0.indices) }
    }
    guard order.allSatisfy({ $0 >= 0 && $0 < data.count }) else {
        throw TrainingError.invalidConfiguration("the method's epoch order names rows outside the data set")
    }
    var batches: [LoopBatch] = []
    var start = 0
    while start < order.count {
        let end = Swift.min(order.count, start + size)
        if dropLast && end - start < size { break }
        let rows = Array(order[start..<end])
        let part = try data.selecting(rows)
        batches.append(LoopBatch(inputs: part.inputs, labels: part.labels, indices: rows))
        start = end
    }
    return batches
}

/// One batch of the loop: rows of the data set and their inputs and labels.
struct LoopBatch {
    var inputs: Tensor
    var labels: [Int]
    var indices: [Int]
}

/// The two views of one batch (flattened when configured).
func makeBatch(_ batch: LoopBatch, configuration c: TrainingConfiguration, rng: inout RandomGenerator) throws -> TrainingBatch {
    var v1 = batch.inputs, v2 = batch.inputs
    if let views = c.views {
        (v1, v2) = try views.views(of: batch.inputs, using: &rng, threads: c.augmentationThreads)
    }
    if c.flattenInputs {
        v1 = try flatten(v1, startAxis: 1); v2 = try flatten(v2, startAxis: 1)
    }
    let inputs = c.flattenInputs ? try flatten(batch.inputs, startAxis: 1) : batch.inputs
    return TrainingBatch(inputs: inputs, labels: batch.labels, view1: v1, view2: v2, indices: batch.indices)
}

/// A guess at why the loss stopped being finite, for the error message.
func likelyCause(learningRate: Float, history: TrainingHistory, step: Int) -> String {
    if step == 0 {
        return "the very first step failed: check the inputs for NaN/Inf and the loss settings (temperature, eps)"
    }
    if learningRate > 0.1 {
        return "the learning rate \(learningRate) is probably too high (the updates diverged); try 10× smaller"
    }
    if let first = history.epochs.first?.meanLoss, let last = history.epochs.last?.meanLoss, last > 10 * Swift.abs(first) + 1 {
        return "the loss was growing (\(first) → \(last)): the optimisation diverged; lower the learning rate"
    }
    return "a division by a vanishing norm or variance (collapsed embeddings, or too small a temperature / eps); lower the learning rate or add eps"
}

/// Test hooks of the training loop, read from the environment once per process.
public enum TrainingTestHooks {
    /// `SELFSUP_TEST_HOOK_UNTRAINED=1`: every run does all its work (views, losses,
    /// gradients, meters, momentum updates) but never applies an optimiser step (neither in
    /// `train` nor a script's own `opt.step()`), so each
    /// network keeps its random initialisation. A lesson run this way shows what its
    /// `expect`s see for an untrained encoder: each claim about training must then fail
    /// (`Scripts/untrained-expects`).
    /// Read once: a script's `opt.step()` asks on every step, and the environment does not
    /// change while the program runs.
    public static let untrained: Bool = ProcessInfo.processInfo.environment[untrainedVariable] == "1"
    public static let untrainedVariable = "SELFSUP_TEST_HOOK_UNTRAINED"
}
