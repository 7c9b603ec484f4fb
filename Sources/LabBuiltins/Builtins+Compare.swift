import Display
import LabScript
import NeuralNet
import SelfSupervised
import TensorCore
import ToyData

/// `compare`: the leaderboard of lesson 8. Every method trained with one protocol and
/// measured the same way, as a table (and bar charts).
extension Builtins {
    /// The methods `compare` trains by default: every method of `train` but the collapse
    /// demonstration (positive-only).
    static var comparedMethods: [String] { TrainingMethods.names.filter { $0 != "positive-only" } }

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
                Parameter("show", default: .bool(true), documentation: "draw a bar chart of the probe and kNN accuracies"),
                Parameter("progress", default: .nilValue, documentation: "a progress line; nil shows one when the output is a terminal"),
            ],
                    summary: "Trains every method with one protocol and returns the leaderboard table: few-label probes, kNN, RankMe, alignment, uniformity, time.",
                    details: "Same split, same encoder (built afresh from the same generator state for each seed, so every method starts from the same weights), "
                        + "same epochs and batch size; each method with the views and heads train gives it by default. Columns: probe_1 and probe_3 "
                        + "(linear-probe test accuracy with 1 and 3 labels per class, mean over draws), knn (weighted kNN with all training labels), "
                        + "rankme (effective rank of the test features), alignment (two views of each test image, the data's SimCLR views for every method; lower is better) "
                        + "and uniformity (lower is more uniform) of Wang & Isola 2020, s_per_epoch (CPU seconds per training epoch). "
                        + "With several seeds each cell is mean ± std. Ctrl-C keeps the rows of the methods that finished. "
                        + "\"supervised\" trains with every training label: a reference, not a self-supervised method.",
                    example: "t = compare(methods: [\"simclr\", \"barlow\"], data: subset(digits(), k: 20), epochs: 1, show: false)\nprint(t.columns)",
                    lesson: LessonNumber.summary) { args, context in
                try runComparison(args, context, state)
            },
            builtin("method_map", [],
                    summary: "Every training method of the lab, placed on the map of families: a list of records {name, title, summary, family, lesson, idea}.",
                    details: "Read from train's own method table, so the map lists exactly the methods train accepts. "
                        + "family is one of: " + MethodFamilies.families.map(\.name).joined(separator: ", ")
                        + "; idea says what keeps that family from collapsing; lesson is nil for a method no lesson teaches yet.",
                    example: "for m in method_map() { print(m.title, \"—\", m.family) }", lesson: LessonNumber.summary) { _, _ in
                .list(MethodFamilies.records.map { m in
                    let idea = MethodFamilies.families.first { $0.name == m.family }?.idea ?? ""
                    return .record(Record([("name", .string(m.name)), ("title", .string(m.title)), ("summary", .string(m.summary)),
                                           ("family", .string(m.family)), ("lesson", m.lesson.map { .string(LessonTitles.title($0)) } ?? .nilValue),
                                           ("idea", .string(idea))]))
                })
            },
        ])
    }

    private static func runComparison(_ args: BoundArguments, _ context: CallContext, _ state: BuiltinState) throws -> Value {
        guard case .host(let dataValue as DatasetValue) = args["data"] else { throw args.typeError("data", expected: "a data set") }
        let methods = args["methods"].isNil ? comparedMethods : try args.list("methods").map { value -> String in
            guard case .string(let name) = value else { throw args.typeError("methods", expected: "a list of method names") }
            guard TrainingMethods.named(name) != nil else {
                throw RuntimeError(.argument, "compare: unknown method \"\(name)\"" + Suggestions.hint(for: name, in: TrainingMethods.names)
                                   + " (methods: \(TrainingMethods.names.joined(separator: ", ")))", at: args.range(of: "methods"))
            }
            return name
        }
        guard !methods.isEmpty else { throw context.error("compare: no methods to compare") }
        let seeds: [Int]
        switch args["seeds"] {
        case .number: seeds = Array(0..<(try args.count("seeds")))
        case .list(let items):
            seeds = try items.map { item in
                guard case .number(let v) = item, let s = BoundArguments.exactInt(v), s >= 0 else { throw args.typeError("seeds", expected: "whole numbers ≥ 0") }
                return s
            }
            guard !seeds.isEmpty else { throw context.error("compare: seeds is empty") }
            // A list of seeds is bounded like the count of seeds (the declared range).
            if let most = args.parameters.first(where: { $0.name == "seeds" })?.countRange?.upperBound, seeds.count > most {
                throw RuntimeError(.argument, "compare: at most \(most) seeds, got \(seeds.count)", at: args.range(of: "seeds"))
            }
        default: throw args.typeError("seeds", expected: "a number or a list of seeds")
        }
        let epochs = try args.count("epochs")
        let draws = try args.count("draws")
        let setting = try ComparisonProtocol(data: dataValue.dataset, epochs: epochs, batchSize: try args.count("batch_size"),
                                             draws: draws, testFraction: 0.2, context: context)
        guard let train = state.registry?.function(named: "train") else {
            throw context.error("compare: the train builtin is missing from this session")
        }
        let makeEncoder = try encoderMaker(args, dataValue.dataset, state, context)
        let interactive = state.display.terminal.isTerminal
        let showProgress = try args["progress"].isNil ? interactive : args.bool("progress")
        var progress = ComparisonProgress(total: methods.count * seeds.count, interactive: interactive) { context.write($0) }
        var rows = methods.map { ComparisonRow(method: $0) }
        var interrupted = false
        let saved = state.rng
        defer { state.rng = saved; _ = state.nextSeed() }
        runs: for seed in seeds {
            for (m, method) in methods.enumerated() {
                if showProgress { progress.starting(method, seed: seed) }
                // The same generator state for every method at this seed: the same initial encoder.
                state.rng = RandomGenerator(seed: 0x5EED_0000 &+ UInt64(seed))
                do {
                    let encoder = try makeEncoder()
                    let run = try context.call(.native(train), [.host(encoder), .host(DatasetValue(setting.train, state: state))], named: [
                        ("method", .string(method)), ("epochs", .int(epochs)), ("batch_size", .int(setting.batchSize)),
                        ("seed", .int(seed)), ("progress", .bool(false)),
                    ])
                    guard case .host(let result as RunValue) = run else { throw context.error("compare: train returned no run") }
                    let scores = try setting.score(encoder.module, seed: UInt64(seed), seconds: result.history.cpuSeconds, context: context)
                    rows[m].runs.append(scores)
                } catch let error as RuntimeError where error.kind == .cancelled {
                    interrupted = true
                    break runs
                }
                if showProgress { progress.finished(method, seed: seed) }
            }
        }
        let finished = rows.filter { !$0.runs.isEmpty }
        if interrupted {
            if showProgress && interactive { context.write("\n") }
            context.write("compare: interrupted; the table keeps the \(finished.count) method(s) with a finished run\n")
        }
        let seedNote = seeds.count > 1 ? "mean ± std over \(seeds.count) seeds" : "seed \(seeds[0])"
        let title = "\(dataValue.dataset.name): \(epochs) epochs, \(seedNote)"
        let leaderboard = try Display.table(columns: ["method"] + ComparisonScores.columns, rows: finished.map { $0.cells() }, title: title)
        if try args.bool("show"), !finished.isEmpty {
            for chart in try comparisonCharts(finished, title: dataValue.dataset.name) { present(chart, state, context) }
        }
        return .host(ChartValue(leaderboard, state: state))
    }

    /// A fresh encoder per call: the script's function, or the default for the data.
    private static func encoderMaker(_ args: BoundArguments, _ data: Dataset, _ state: BuiltinState,
                                     _ context: CallContext) throws -> () throws -> ModelValue {
        if !args["encoder"].isNil {
            let function = try args.function("encoder")
            return {
                guard case .host(let model as ModelValue) = try context.call(function, []) else {
                    throw RuntimeError(.type, "compare: the encoder function must return a model", at: args.range(of: "encoder"))
                }
                return model
            }
        }
        let shape = data.inputs.shape
        return {
            let module: Module
            if shape.count == 2 {
                module = mlp([shape[1], 64, 32], batchNorm: true, lastActivation: false, rng: &state.rng)
            } else if data.name == "digits" || (shape.count == 4 && shape[1] == 1 && shape[2] * shape[3] <= 256) {
                module = mlp([shape[1...].reduce(1, *), 128, 128], batchNorm: true, lastActivation: false, rng: &state.rng)
            } else {
                module = convnet(widths: [16, 32, 64], inChannels: shape.count == 4 ? shape[1] : 1, rng: &state.rng)
            }
            return ModelValue(module, state: state)
        }
    }

    /// Probe and kNN accuracy as grouped bars; alignment and uniformity as bars.
    static func comparisonCharts(_ rows: [ComparisonRow], title: String) throws -> [Chart] {
        let labels = rows.map(\.method)
        func column(_ c: Int) -> (values: [Double], errors: [Double]?) {
            let cells = rows.map { $0.cells()[c + 1] }
            let values = cells.map { cell -> Double in if case .number(let v, _) = cell { return v } else { return .nan } }
            let errors = cells.map { cell -> Double in if case .number(_, let e) = cell { return e ?? 0 } else { return 0 } }
            return (values, errors.contains { $0 != 0 } ? errors : nil)
        }
        let accuracy = [0, 1, 2].map(column)
        let names = ["1 label per class", "3 labels per class", "kNN (all labels)"]
        let accuracies = try bar(accuracy.map(\.values), labels: labels, names: names,
                                 errors: accuracy.allSatisfy({ $0.errors != nil }) ? accuracy.map { $0.errors ?? [] } : nil,
                                 title: "\(title): test accuracy", yLabel: "accuracy")
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
