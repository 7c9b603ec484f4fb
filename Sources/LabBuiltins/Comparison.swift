import Display
import LabScript
import LabSupport
import NeuralNet
import SelfSupervised
import TensorCore
import ToyData

/// The measurements of one trained encoder in `compare`, on a fixed train/test split.
struct ComparisonScores {
    /// Linear-probe test accuracy with 1 and 3 labelled examples per class (mean over draws).
    var probe1 = 0.0, probe3 = 0.0
    /// Weighted-kNN test accuracy (k 20, τ 0.1) with every training label.
    var knn = 0.0
    /// Effective rank of the test features.
    var rankMe = 0.0
    /// Wang & Isola's alignment (two views of each test image) and uniformity (test features).
    var alignment = 0.0, uniformity = 0.0
    /// CPU seconds per training epoch.
    var secondsPerEpoch = 0.0

    /// The columns of the leaderboard, in order, with the value of each.
    static let columns = ["probe_1", "probe_3", "knn", "rankme", "alignment", "uniformity", "s_per_epoch"]
    var values: [Double] { [probe1, probe3, knn, rankMe, alignment, uniformity, secondsPerEpoch] }
}

/// One protocol for every method: the same split, the same encoder architecture (built
/// afresh from the same generator state per seed), the same epoch budget; each method with
/// its own default views and heads (those `train` gives it).
struct ComparisonProtocol {
    var train: Dataset
    var test: Dataset
    var epochs: Int
    var batchSize: Int
    /// Random draws of the few labelled examples per probe.
    var draws: Int
    /// The views alignment is measured on: the data's standard SimCLR-style pipeline, the
    /// same for every method so that the numbers compare.
    var views: ViewPipelines?
    var pointViews: (Dataset, ViewPipelines)?

    /// The same protocol on another train/test pair (the validation split of tuning).
    init(train: Dataset, test: Dataset, base: ComparisonProtocol) {
        self = base
        self.train = train
        self.test = test
    }

    init(data: Dataset, epochs: Int, batchSize: Int, draws: Int, testFraction: Double, context: CallContext) throws {
        (train, test) = try data.split(testFraction: testFraction, seed: 0)
        guard train.count >= 2, test.count >= 2 else {
            throw context.error(Messages.text("compare: the data set is too small to split into train and test ({count} samples)", ["count": String(data.count)]))
        }
        self.epochs = epochs
        self.batchSize = batchSize
        self.draws = draws
        if test.inputs.rank == 2 {
            pointViews = Experiment.pointsAsImages(test)
        } else {
            views = try Experiment.defaultViews(for: test, method: "simclr")
        }
    }

    /// Scores of `encoder` (already trained) on this protocol. `seed` picks the labelled draws.
    func score(_ encoder: Module, seed: UInt64, seconds: Double, context: CallContext) throws -> ComparisonScores {
        func embed(_ x: Tensor) throws -> Tensor { try ModelValue.embed(encoder, x, batchSize: 256, context: context) }
        let trainFeatures = try embed(train.inputs), testFeatures = try embed(test.inputs)
        let classes = max(train.classCount, test.classCount)
        var scores = ComparisonScores()
        func probe(_ k: Int) throws -> Double {
            var total = 0.0
            for draw in 0..<draws {
                try OperationCancellation.check("compare")
                let labelled = try train.labelledSubset(perClass: k, seed: seed &* 1000 &+ UInt64(draw))
                total += try linearProbe(trainFeatures: try embed(labelled.inputs), trainLabels: labelled.labels,
                                         testFeatures: testFeatures, testLabels: test.labels, classes: classes).testAccuracy
            }
            return total / Double(draws)
        }
        scores.probe1 = try probe(1)
        scores.probe3 = try probe(3)
        scores.knn = try knnAccuracy(trainFeatures: trainFeatures, trainLabels: train.labels, testFeatures: testFeatures,
                                     testLabels: test.labels, classes: classes)
        scores.rankMe = try rankMe(testFeatures)
        var rng = RandomGenerator(seed: 12_345 &+ seed)
        let (a, b): (Tensor, Tensor)
        if let (images, pipelines) = pointViews {
            (a, b) = try pipelines.views(of: images.inputs, using: &rng)
        } else if let views {
            (a, b) = try views.views(of: test.inputs, using: &rng)
        } else {
            (a, b) = (test.inputs, test.inputs)
        }
        scores.alignment = try SelfSupervised.alignment(try embed(a), try embed(b))
        scores.uniformity = try SelfSupervised.uniformity(testFeatures)
        scores.secondsPerEpoch = seconds / Double(max(1, epochs))
        return scores
    }
}

/// Mean and sample std (n − 1) of each column over the seeds of one method.
struct ComparisonRow {
    var method: String
    /// The key setting and its value ("temperature 0.2"), "" for a method without one.
    var setting = ""
    var runs: [ComparisonScores] = []

    func cells() -> [TableCell] {
        let columns = runs.map(\.values)
        return [.text(method), setting.isEmpty ? .empty : .text(setting)] + ComparisonScores.columns.indices.map { c in
            let values = columns.map { $0[c] }
            let mean = values.reduce(0, +) / Double(max(1, values.count))
            guard values.count > 1 else { return .number(mean) }
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
            return .number(mean, error: variance.squareRoot())
        }
    }
}

/// A one-line progress report for `compare`: on a terminal one line redrawn with `\r`,
/// otherwise a line per finished run.
struct ComparisonProgress {
    let total: Int
    let interactive: Bool
    let write: (String) -> Void
    let start = ContinuousClock.now
    private(set) var done = 0

    init(total: Int, interactive: Bool, write: @escaping (String) -> Void) {
        self.total = max(1, total)
        self.interactive = interactive
        self.write = write
    }

    func starting(_ method: String, seed: Int) {
        guard interactive else { return }
        write("\r\u{1B}[2K" + line(method: method, seed: seed, finished: false))
    }

    mutating func finished(_ method: String, seed: Int) {
        done += 1
        let text = line(method: method, seed: seed, finished: true)
        write(interactive ? "\r\u{1B}[2K" + text + (done == total ? "\n" : "") : text + "\n")
    }

    /// One whole sentence per case (a run starting or done, with or without the time left).
    func line(method: String, seed: Int, finished: Bool) -> String {
        let width = 20
        let filled = done * width / total
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        var values = ["done": String(done), "total": String(total), "method": method, "seed": String(seed),
                      "bar": String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)]
        if done > 0 && done < total {
            let left = Int((seconds / Double(done) * Double(total - done)).rounded())
            values["eta"] = "\(left / 60):" + (left % 60 < 10 ? "0" : "") + "\(left % 60)"
        }
        switch (values["eta"] != nil, finished) {
        case (false, false): return Messages.text("compare {done}/{total} [{bar}] training {method} (seed {seed})", values)
        case (true, false): return Messages.text("compare {done}/{total} [{bar}] ETA {eta} training {method} (seed {seed})", values)
        case (false, true): return Messages.text("compare {done}/{total} [{bar}] {method} (seed {seed}) done", values)
        case (true, true): return Messages.text("compare {done}/{total} [{bar}] ETA {eta} {method} (seed {seed}) done", values)
        }
    }
}

/// The leaderboard `compare` returns: its table (a chart, shown as one), plus every run's
/// scores (`runs`: one record per method and seed, for paired comparisons) and the tuning
/// (`tuning`: per tuned method, the grid, the validation scores and the choice).
final class LeaderboardValue: ChartValue {
    let runs: [Value]
    let tuning: [Value]

    init(_ chart: Chart, runs: [Value], tuning: [Value], state: BuiltinState) {
        self.runs = runs
        self.tuning = tuning
        super.init(chart, state: state)
    }

    override var memberNames: [String] { super.memberNames + ["runs", "tuning"] }

    override func field(_ name: String, context: CallContext) throws -> Value? {
        switch name {
        case "runs": return .list(runs)
        case "tuning": return .list(tuning)
        default: return try super.field(name, context: context)
        }
    }
}
