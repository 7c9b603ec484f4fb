import Display
import LabScript
import LabSupport
import NeuralNet
import SelfSupervised
import TensorCore
import ToyData

/// `compare`: the leaderboard of lesson 8. Every method trained with one protocol and
/// measured the same way, as a table (and bar charts).
extension Builtins {
    /// The methods `compare` trains by default: every method of `train` but the collapse
    /// demonstration (positive-only).
    static var comparedMethods: [String] { TrainingMethods.all.filter { $0.family != .collapses }.map(\.name) }

    static func comparison(_ state: BuiltinState) -> BuiltinGroup {
        BuiltinGroup("Comparison", [
            builtin("compare", [
                Parameter("methods", default: .nilValue, documentation: "method names (default: every method of train but positive-only)"),
                Parameter("data", documentation: "a labelled data set; split 80/20 (stratified, seed 0) into train and test"),
                Parameter.count("epochs", default: .number(10), in: 1...10_000, documentation: "the same epoch budget for every method"),
                Parameter.count("seeds", default: .number(1), in: 1...100, documentation: "a number n (seeds 0…n−1) or a list of seeds; mean ± std over them"),
                Parameter("encoder", default: .nilValue,
                          documentation: "a function returning a fresh encoder; default mlp([64, 128, 128]) for digits, convnet(widths: [16, 32, 64]) for other images, mlp([d, 64, 32]) for points"),
                Parameter.count("batch_size", default: .number(256), in: 2...BoundArguments.maxCount),
                Parameter.count("draws", default: .number(3), in: 1...20, documentation: "random draws of the labelled examples per few-label probe"),
                Parameter("baseline", default: .bool(true), documentation: "add a \"random init\" row: the same encoder, scored untrained"),
                Parameter("tune", default: .bool(false),
                          documentation: "choose each method's key setting from its entry's grid on a validation split of the training set (first seed, same epochs)"),
                Parameter.count("grid_points", default: .number(3), in: 1...3, documentation: "how many values of each grid to try (the default first)"),
                Parameter("options", default: .nilValue,
                          documentation: "a record of train arguments given to every method, e.g. {optimizer: \"sgd\", learning_rate: 0.05, weight_decay: 1e-4}"),
                Parameter("heads", default: .nilValue,
                          documentation: "a function of the method name returning a record of heads for train ({projector: …, predictor: …}), called afresh for every run"),
                Parameter("show", default: .bool(true), documentation: "draw a bar chart of the probe and kNN accuracies"),
                Parameter("progress", default: .nilValue, documentation: "a progress line; nil shows one when the output is a terminal"),
            ],
                    summary: "Trains every method with one protocol and returns the leaderboard table: few-label probes, kNN, RankMe, alignment, uniformity, time.",
                    details: "Same split, same encoder (built afresh from the same generator state for each seed, so every method starts from the same weights), "
                        + "same epochs and batch size; each method with the views and heads train gives it by default. Columns: probe_1 and probe_3 "
                        + "(linear-probe test accuracy with 1 and 3 labels per class, mean over draws), knn (weighted kNN with all training labels), "
                        + "rankme (effective rank of the test features), alignment (two views of each test image, the data's SimCLR views for every method; lower is better) "
                        + "and uniformity (lower is more uniform) of Wang & Isola 2020, s_per_epoch (CPU seconds per training epoch). "
                        + "With several seeds each cell is mean ± std. The setting column names each method's key setting (its entry's tuning grid) and the value used; "
                        + "with tune: true that value is chosen on a validation split (20 % of the training set) by probe_3, every grid point trained for the same epochs, "
                        + "and the choices are printed and kept in .tuning. A queue (MoCo's keys, NNCLR's support set) is capped at the training set's size. "
                        + ".runs lists every (method, seed) run's scores, for paired comparisons over seeds. "
                        + "Ctrl-C keeps the rows of the methods that finished. "
                        + "\"supervised\" trains with every training label: a reference, not a self-supervised method.",
                    example: "t = compare(methods: [\"simclr\", \"barlow\"], data: subset(digits(), k: 20), epochs: 1, show: false)\nprint(t.columns)",
                    lesson: LessonNumber.summary) { args, context in
                try runComparison(args, context, state)
            },
            builtin("method_map", [],
                    summary: "Every training method of the course, placed on the map of families: a list of records {name, title, summary, family, lesson, idea}.",
                    details: "Read from train's own method table: each entry declares its family and lesson. It lists the methods of the course "
                        + "(those lesson 8's leaderboard and map were measured with); a method added to the table later is trained and compared "
                        + "like the others and joins the map when its entry is marked part of the course. "
                        + "family is one of: " + MethodFamily.allCases.map(\.name).joined(separator: ", ")
                        + "; idea says what keeps that family from collapsing; lesson is nil for a method no lesson teaches yet.",
                    example: "for m in method_map() { print(m.title, \"—\", m.family) }", lesson: LessonNumber.summary) { _, _ in
                .list(TrainingMethods.course.map { m in
                    // Summary and idea are shown to a person: in the chosen language (the
                    // `# builtins: method_map` section of zh.po); names and families are keys.
                    .record(Record([("name", .string(m.name)), ("title", .string(m.title)),
                                    ("summary", .string(Messages.text(m.summary))),
                                    ("family", .string(m.family.name)), ("lesson", m.lesson.map { .string(LessonTitles.title($0)) } ?? .nilValue),
                                    ("idea", .string(Messages.text(m.family.idea)))]))
                })
            },
        ])
    }

    private static func runComparison(_ args: BoundArguments, _ context: CallContext, _ state: BuiltinState) throws -> Value {
        guard case .host(let dataValue as DatasetValue) = args["data"] else { throw args.typeError("data", expected: "a data set") }
        let methods = args["methods"].isNil ? comparedMethods : try args.list("methods").map { value -> String in
            guard case .string(let name) = value else { throw args.typeError("methods", expected: "a list of method names") }
            guard TrainingMethods.named(name) != nil else {
                throw RuntimeError(.argument, TrainingSetup.unknownMethod(name, function: "compare"), at: args.range(of: "methods"))
            }
            return name
        }
        guard !methods.isEmpty else { throw context.error(Messages.text("compare: no methods to compare")) }
        let seeds: [Int]
        switch args["seeds"] {
        case .number: seeds = Array(0..<(try args.count("seeds")))
        case .list(let items):
            seeds = try items.map { item in
                guard case .number(let v) = item, let s = BoundArguments.exactInt(v), s >= 0 else { throw args.typeError("seeds", expected: "whole numbers ≥ 0") }
                return s
            }
            guard !seeds.isEmpty else { throw context.error(Messages.text("compare: seeds is empty")) }
            // A list of seeds is bounded like the count of seeds (the declared range).
            if let most = args.parameters.first(where: { $0.name == "seeds" })?.countRange?.upperBound, seeds.count > most {
                throw RuntimeError(.argument, Messages.text("compare: at most {most} seeds, got {count}", ["most": String(most), "count": String(seeds.count)]),
                                   at: args.range(of: "seeds"))
            }
        default: throw args.typeError("seeds", expected: "a number or a list of seeds")
        }
        let epochs = try args.count("epochs")
        let draws = try args.count("draws")
        let setting = try ComparisonProtocol(data: dataValue.dataset, epochs: epochs, batchSize: try args.count("batch_size"),
                                             draws: draws, testFraction: 0.2, context: context)
        guard let train = state.registry?.function(named: "train") else {
            throw context.error(Messages.text("compare: the train builtin is missing from this session"))
        }
        let makeEncoder = try encoderMaker(args, dataValue.dataset, state, context)
        let extra = try extraOptions(args)
        let heads = args["heads"].isNil ? nil : try args.function("heads")
        let tune = try args.bool("tune")
        let gridPoints = try args.count("grid_points")
        let baseline = try args.bool("baseline")
        let interactive = state.display.terminal.isTerminal
        let showProgress = try args["progress"].isNil ? interactive : args.bool("progress")
        let tuned = tune ? methods.compactMap { m in TrainingMethods.named(m)?.tuning.map { (m, $0.values(points: gridPoints)) } } : []
        let tuningRuns = tuned.reduce(0) { $0 + $1.1.count }
        var progress = ComparisonProgress(total: methods.count * seeds.count + tuningRuns, interactive: interactive) { context.write($0) }
        var interrupted = false
        /// A stop asked for by the host: from `train` (a script error) or from a meter that
        /// polls `OperationCancellation` itself (a tensor error).
        func isCancellation(_ error: Error) -> Bool {
            if let error = error as? RuntimeError { return error.kind == .cancelled }
            if case .cancelled? = error as? TensorError { return true }
            return false
        }
        let saved = state.rng
        defer { state.rng = saved; _ = state.nextSeed() }

        /// One run: a fresh encoder from the seed's generator state, trained (unless `method`
        /// is nil: the random-init baseline) and scored on `on`.
        func run(_ method: String?, settings: [(String, Value)], seed: Int, on proto: ComparisonProtocol) throws -> ComparisonScores {
            state.rng = RandomGenerator(seed: 0x5EED_0000 &+ UInt64(seed))
            let encoder = try makeEncoder()
            guard let method else { return try proto.score(encoder.module, seed: UInt64(seed), seconds: 0, context: context) }
            var named: [(String, Value)] = [("method", .string(method)), ("epochs", .int(epochs)), ("batch_size", .int(proto.batchSize)),
                                            ("seed", .int(seed)), ("progress", .bool(false)), ("monitor", .bool(false))]
            named += extra + settings
            if let heads {
                guard case .record(let record) = try context.call(heads, [.string(method)]) else {
                    throw RuntimeError(.type, Messages.text("compare: heads must return a record such as {projector: …, predictor: …}"),
                                       at: args.range(of: "heads"))
                }
                for key in record.keys { if let v = record[key], !v.isNil { named.append((key, v)) } }
            }
            let result = try context.call(.native(train), [.host(encoder), .host(DatasetValue(proto.train, state: state))], named: named)
            guard case .host(let trained as RunValue) = result else { throw context.error(Messages.text("compare: train returned no run")) }
            return try proto.score(encoder.module, seed: UInt64(seed), seconds: trained.history.cpuSeconds, context: context)
        }
        /// The settings a method trains with: the tuned (or default) key setting, and a MoCo
        /// queue no larger than the training set.
        func settings(_ method: String, key: (String, Double)?, trainCount: Int) -> [(String, Value)] {
            var out: [(String, Value)] = []
            if let key { out.append((key.0, .number(key.1))) }
            if let entry = TrainingMethods.named(method), case .number(let queue)? = entry.defaultValue("queue_size"),
               Int(queue) > trainCount, !extra.contains(where: { $0.0 == "queue_size" }) {
                out.append(("queue_size", .int(trainCount)))
            }
            return out
        }

        // The key setting of each method: the entry's default, or the grid point that scores
        // best (probe_3) on a validation split of the training set.
        var chosen: [String: (String, Double)] = [:]
        for m in methods {
            if let t = TrainingMethods.named(m)?.tuning, case .number(let v)? = TrainingMethods.named(m)?.defaultValue(t.setting) {
                chosen[m] = (t.setting, v)
            }
        }
        var tuningRecords: [Value] = []
        if !tuned.isEmpty {
            let (fit, validation) = try setting.train.split(testFraction: 0.2, seed: 1)
            let proto = ComparisonProtocol(train: fit, test: validation, base: setting)
            context.write(Messages.text("compare: tuning on a validation split ({train} train, {validation} validation), seed {seed}, {epochs} epochs per grid point, chosen by probe_3",
                                        ["train": String(fit.count), "validation": String(validation.count), "seed": String(seeds[0]),
                                         "epochs": String(epochs)]) + "\n")
            tuning: for (m, grid) in tuned {
                guard let key = TrainingMethods.named(m)?.tuning?.setting else { continue }
                var scores: [Double] = []
                for value in grid {
                    if showProgress { progress.starting("\(m) \(key) \(MethodOption.number(value))", seed: seeds[0]) }
                    do {
                        scores.append(try run(m, settings: settings(m, key: (key, value), trainCount: fit.count), seed: seeds[0], on: proto).probe3)
                    } catch let error where isCancellation(error) {
                        interrupted = true
                        break tuning
                    }
                    if showProgress { progress.finished("\(m) \(key) \(MethodOption.number(value))", seed: seeds[0]) }
                }
                var best = 0
                for i in scores.indices where scores[i] > scores[best] { best = i }
                chosen[m] = (key, grid[best])
                let tried = zip(grid, scores).map { "\(MethodOption.number($0)) → \(String(format: "%.3f", $1))" }.joined(separator: ", ")
                context.write("  " + Messages.text("{method}: {setting} {value}   (validation probe_3: {tried})",
                                                   ["method": m, "setting": key, "value": "\(MethodOption.number(grid[best]))", "tried": tried]) + "\n")
                tuningRecords.append(.record(Record([("method", .string(m)), ("setting", .string(key)),
                                                     ("values", .list(grid.map { .number($0) })),
                                                     ("validation_probe_3", .list(scores.map { .number($0) })),
                                                     ("chosen", .number(grid[best]))])))
            }
        }

        var rows = (baseline ? [ComparisonRow(method: Self.randomInitName)] : []) + methods.map { ComparisonRow(method: $0) }
        for m in rows.indices {
            if let key = chosen[rows[m].method] { rows[m].setting = "\(key.0) \(MethodOption.number(key.1))" }
            if rows[m].method == Self.randomInitName { rows[m].setting = "untrained" }
        }
        var perRun: [Value] = []
        if !interrupted {
            runs: for seed in seeds {
                for m in rows.indices {
                    let method = rows[m].method
                    let isBaseline = baseline && m == 0
                    if showProgress && !isBaseline { progress.starting(method, seed: seed) }
                    do {
                        let scores = try run(isBaseline ? nil : method,
                                             settings: settings(method, key: chosen[method], trainCount: setting.train.count),
                                             seed: seed, on: setting)
                        rows[m].runs.append(scores)
                        perRun.append(.record(Record([("method", .string(method)), ("seed", .int(seed)), ("setting", .string(rows[m].setting))]
                                                     + zip(ComparisonScores.columns, scores.values).map { ($0, .number($1)) })))
                    } catch let error where isCancellation(error) {
                        interrupted = true
                        break runs
                    }
                    if showProgress && !isBaseline { progress.finished(method, seed: seed) }
                }
            }
        }
        let finished = rows.filter { !$0.runs.isEmpty }
        if interrupted {
            if showProgress && interactive { context.write("\n") }
            context.write(Messages.text("compare: interrupted; the table keeps the {count} method(s) with a finished run",
                                        ["count": String(finished.count)]) + "\n")
        }
        let values = ["data": dataValue.dataset.name, "epochs": String(epochs), "count": String(seeds.count), "seed": String(seeds[0])]
        let title = switch (seeds.count > 1, tune) {
        case (true, true): Messages.text("{data}: {epochs} epochs, mean ± std over {count} seeds, key setting tuned on validation", values)
        case (true, false): Messages.text("{data}: {epochs} epochs, mean ± std over {count} seeds", values)
        case (false, true): Messages.text("{data}: {epochs} epochs, seed {seed}, key setting tuned on validation", values)
        case (false, false): Messages.text("{data}: {epochs} epochs, seed {seed}", values)
        }
        let leaderboard = try Display.table(columns: ["method", "setting"] + ComparisonScores.columns, rows: finished.map { $0.cells() }, title: title)
        if try args.bool("show"), !finished.isEmpty {
            for chart in try comparisonCharts(finished, title: dataValue.dataset.name) { present(chart, state, context) }
        }
        return .host(LeaderboardValue(leaderboard, runs: perRun, tuning: tuningRecords, state: state))
    }

    /// The name of the untrained-encoder row.
    static let randomInitName = "random init"

    /// The `options` record as named train arguments.
    private static func extraOptions(_ args: BoundArguments) throws -> [(String, Value)] {
        switch args["options"] {
        case .nilValue: return []
        case .record(let record):
            for key in record.keys where ["method", "epochs", "batch_size", "seed", "progress"].contains(key) {
                throw RuntimeError(.argument, Messages.text("compare: options cannot set {key}, which the protocol fixes", ["key": key]),
                                   at: args.range(of: "options"))
            }
            return record.keys.compactMap { key in record[key].map { (key, $0) } }
        default: throw args.typeError("options", expected: "a record of train arguments")
        }
    }

    /// A fresh encoder per call: the script's function, or the default for the data.
    private static func encoderMaker(_ args: BoundArguments, _ data: Dataset, _ state: BuiltinState,
                                     _ context: CallContext) throws -> () throws -> ModelValue {
        if !args["encoder"].isNil {
            let function = try args.function("encoder")
            return {
                guard case .host(let model as ModelValue) = try context.call(function, []) else {
                    throw RuntimeError(.type, Messages.text("compare: the encoder function must return a model"), at: args.range(of: "encoder"))
                }
                return model
            }
        }
        return {
            let module = Experiment.defaultEncoder(for: data, using: &state.rng)
            return ModelValue(module, state: state)
        }
    }

    /// Probe and kNN accuracy as grouped bars; alignment and uniformity as bars.
    static func comparisonCharts(_ rows: [ComparisonRow], title: String) throws -> [Chart] {
        let labels = rows.map(\.method)
        func column(_ c: Int) -> (values: [Double], errors: [Double]?) {
            let cells = rows.map { $0.cells()[c + 2] }
            let values = cells.map { cell -> Double in if case .number(let v, _) = cell { return v } else { return .nan } }
            let errors = cells.map { cell -> Double in if case .number(_, let e) = cell { return e ?? 0 } else { return 0 } }
            return (values, errors.contains { $0 != 0 } ? errors : nil)
        }
        let accuracy = [0, 1, 2].map(column)
        let names = [Messages.text("1 label per class"), Messages.text("3 labels per class"), Messages.text("kNN (all labels)")]
        let accuracies = try bar(accuracy.map(\.values), labels: labels, names: names,
                                 errors: accuracy.allSatisfy({ $0.errors != nil }) ? accuracy.map { $0.errors ?? [] } : nil,
                                 title: Messages.text("{data}: test accuracy", ["data": title]), yLabel: Messages.text("accuracy"))
        return [accuracies]
    }

    /// Shows a chart as `show` does: a figure of the running cell, or terminal text.
    static func present(_ chart: Chart, _ state: BuiltinState, _ context: CallContext) {
        if let figureSink = state.figureSink {
            figureSink(chart)
        } else {
            context.write(chart.render(state.display.terminal) + "\n")
        }
    }
}
