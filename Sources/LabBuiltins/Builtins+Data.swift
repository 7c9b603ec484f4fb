import LabScript
import LabSupport
import TensorCore
import ToyData

/// The toy data sets (generated from a seed or shipped; nothing is downloaded) and what
/// one does with them: split, few-label subsets, selections.
extension Builtins {
    static func data(_ state: BuiltinState) -> BuiltinGroup {
        func wrap(_ dataset: Dataset) -> Value { .host(DatasetValue(dataset, state: state)) }
        func seed(_ args: BoundArguments) throws -> UInt64 {
            // No seed given: draw one from the session generator, so --seed and seed(n) reach it.
            if args["seed"].isNil { return state.nextSeed() }
            let value = try args.int("seed")
            guard value >= 0 else { throw RuntimeError(.argument, Messages.text("{function}: seed must be ≥ 0, got {value}", ["function": args.functionName, "value": String(value)]), at: args.range(of: "seed")) }
            return UInt64(value)
        }
        func dataset(_ args: BoundArguments) throws -> Dataset {
            guard case .host(let object as DatasetValue) = args["data"] else { throw args.typeError("data", expected: "a data set") }
            return object.dataset
        }
        let seedParameter = Parameter("seed", default: .nilValue, documentation: "the draw is a function of the seed; nil draws one from the session generator")
        let dataParameter = Parameter("data", documentation: "a data set")
        return BuiltinGroup("Data sets", [
            builtin("shapes", [Parameter.count("count", default: .number(1000), in: 0...BoundArguments.maxCount), Parameter("size", default: .number(32), documentation: "image side in pixels (8 to 512)"),
                               Parameter("background", default: .string("plain"), documentation: "\"plain\" or \"textured\""), seedParameter],
                    summary: "Procedural RGB images of circles, squares, triangles, crosses and rings with random colour, size, position and rotation.",
                    details: "Inputs [count, 3, size, size] in [0, 1]; .attributes holds color, brightness, size, center_x, center_y, rotation; .boxes the bounding boxes.",
                    example: "d = shapes(count: 20, size: 16, seed: 7)\nprint(d.x.shape)   # [20, 3, 16, 16]", lesson: LessonNumber.supervised) { args, context in
                let count = try args.count("count"), size = try args.int("size")
                try context.checkShape([count, 3, max(size, 0), max(size, 0)], operation: "shapes")
                let name = try args.string("background")
                guard let background = ShapesBackground(rawValue: name) else {
                    throw RuntimeError(.argument, Messages.text("shapes: background must be \"plain\" or \"textured\", got \"{value}\"", ["value": name]), at: args.range(of: "background"))
                }
                return wrap(try ToyData.shapes(count: count, size: size, background: background, seed: try seed(args)))
            },
            builtin("digits", [], summary: "The UCI handwritten digits shipped with SelfSup Lab: 1,797 grey 8×8 images, classes 0–9, pixels in [0, 1].",
                    example: "d = digits()\nprint(d.count, d.x.shape)   # 1797 [1797, 1, 8, 8]", lesson: LessonNumber.supervised) { _, _ in
                if let cached = state.digits { return wrap(cached) }
                let loaded = try ToyData.digits()
                state.digits = loaded
                return wrap(loaded)
            },
            builtin("blobs", [Parameter.count("count", default: .number(300), in: 0...BoundArguments.maxCount), Parameter.count("classes", default: .number(3), in: 1...BoundArguments.maxCount),
                              Parameter("std", default: .number(1)), seedParameter],
                    summary: "2-D points from Gaussian blobs, one per class: collapse drawn in the plane.",
                    example: "d = blobs(count: 90, classes: 3)\nprint(d.x.shape)   # [90, 2]", lesson: LessonNumber.collapse) { args, context in
                let count = try args.count("count")
                try context.checkShape([count, 2], operation: "blobs")
                let classes = try args.count("classes")
                guard classes <= 1000 else {
                    throw RuntimeError(.argument, Messages.text("blobs: at most 1000 classes, got {classes}", ["classes": String(classes)]), at: args.range(of: "classes"))
                }
                return wrap(try ToyData.blobs(count: count, classes: classes, std: try args.float("std"), seed: try seed(args)))
            },
            builtin("moons", [Parameter.count("count", default: .number(300), in: 0...BoundArguments.maxCount), Parameter("noise", default: .number(0.1)), seedParameter],
                    summary: "2-D points on two interleaved half circles (two classes).",
                    example: "d = moons(count: 100)\nprint(d.classes)   # 2", lesson: LessonNumber.collapse) { args, context in
                let count = try args.count("count")
                try context.checkShape([count, 2], operation: "moons")
                return wrap(try ToyData.moons(count: count, noise: try args.float("noise"), seed: try seed(args)))
            },
            builtin("tokens", [Parameter.count("count", default: .number(2000), in: 0...BoundArguments.maxCount), Parameter.count("length", default: .number(16), in: 0...BoundArguments.maxCount), seedParameter,
                               Parameter("language_seed", default: .number(0), documentation: "which toy language (its transition table)")],
                    summary: "Sequences from a toy Markov language of 20 words, for masked-token prediction.",
                    details: ".mask(seed: 0) hides one word per sequence; .bayes_optimal_accuracy is the best any predictor can do.",
                    example: "t = tokens(count: 50, length: 8)\nprint(t.x.shape)   # [50, 8]", lesson: LessonNumber.masked) { args, context in
                let count = try args.count("count"), length = try args.count("length")
                try context.checkShape([count, length], operation: "tokens")
                let languageSeed = try args.int("language_seed")
                guard languageSeed >= 0 else { throw context.error(Messages.text("tokens: language_seed must be ≥ 0")) }
                return .host(TokensValue(try ToyData.tokens(count: count, length: length, seed: try seed(args), languageSeed: UInt64(languageSeed)), state: state))
            },
            builtin("split", [dataParameter, Parameter("test_fraction", default: .number(0.2)), seedParameter],
                    summary: "A stratified train/test split: a record {train, test}, each class split in proportion.",
                    example: "parts = split(blobs(count: 100), test_fraction: 0.25)\nprint(parts.train.count, parts.test.count)   # 75 25",
                    lesson: LessonNumber.supervised) { args, context in
                let parts = try dataset(args).split(testFraction: try args.number("test_fraction"), seed: try seed(args))
                return .record(Record([("train", wrap(parts.train)), ("test", wrap(parts.test))]))
            },
            builtin("subset", [dataParameter, Parameter.count("k", in: 0...BoundArguments.maxCount, documentation: "samples per class"), seedParameter],
                    summary: "k labelled samples of every class, drawn at random (the few-label setting of a linear probe).",
                    example: "few = subset(blobs(count: 90), k: 5)\nprint(few.count)   # 15", lesson: LessonNumber.supervised) { args, context in
                wrap(try dataset(args).labelledSubset(perClass: try args.count("k"), seed: try seed(args)))
            },
            builtin("select", [dataParameter, Parameter("indices", documentation: "sample numbers (a list or tensor)")],
                    summary: "The samples at the given indices, in that order (repeats allowed).",
                    example: "d = select(blobs(count: 30), [0, 1, 2])\nprint(d.count)   # 3", lesson: LessonNumber.supervised) { args, context in
                let indices = try TensorConversion.integers(from: args["indices"], context: context, what: "select")
                return wrap(try dataset(args).selecting(indices))
            },
        ])
    }
}
