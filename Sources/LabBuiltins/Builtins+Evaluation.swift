import LabScript
import LabSupport
import NeuralNet
import SelfSupervised
import TensorCore
import ToyData

/// Measuring a representation: embeddings of a data set, linear and kNN probes, the
/// collapse metrics (std of normalized embeddings, effective rank), alignment and
/// uniformity, and the localisation probe.
extension Builtins {
    static func evaluation(_ state: BuiltinState) -> BuiltinGroup {
        func dataset(_ args: BoundArguments, _ name: String) throws -> Dataset {
            guard case .host(let object as DatasetValue) = args[name] else { throw args.typeError(name, expected: "a data set") }
            return object.dataset
        }
        /// Features of a data set: the model's embeddings, or the flattened inputs for nil.
        func features(_ args: BoundArguments, _ data: Dataset, _ context: CallContext) throws -> Tensor {
            switch args["model"] {
            case .nilValue: return data.flattenedInputs()
            case .host(let object as ModelValue): return try ModelValue.embed(object.module, data.inputs, batchSize: 256, context: context)
            default: throw args.typeError("model", expected: "a model or nil (raw inputs)")
            }
        }
        /// The train and test sets: `test` if given, else a stratified 80/20 split of `train`.
        func trainTest(_ args: BoundArguments) throws -> (Dataset, Dataset) {
            let train = try dataset(args, "train")
            if args["test"].isNil { return try train.split(testFraction: 0.2, seed: 0) }
            return (train, try dataset(args, "test"))
        }
        let model = Parameter("model", documentation: "an encoder, or nil to use the raw inputs")
        let train = Parameter("train", documentation: "a labelled data set")
        let test = Parameter("test", default: .nilValue, documentation: "a data set (default: a stratified 20% of train)")
        let z = Parameter("z", documentation: "embeddings [n, d]")
        return BuiltinGroup("Evaluation", [
            builtin("embed", [Parameter("model"), Parameter("data", documentation: "a data set or a tensor of inputs"), Parameter.count("batch_size", default: .number(256), in: 1...BoundArguments.maxCount)],
                    summary: "The model's embeddings of every sample, in eval mode and without gradients, [n, d].",
                    example: "z = embed(mlp([2, 8]), blobs(count: 30))\nprint(z.shape)   # [30, 8]", lesson: LessonNumber.collapse) { args, context in
                guard case .host(let object as ModelValue) = args["model"] else { throw args.typeError("model", expected: "a model") }
                let inputs: Tensor
                if case .host(let data as DatasetValue) = args["data"] { inputs = data.dataset.inputs } else { inputs = try args.tensor("data", context) }
                return state.wrap(try ModelValue.embed(object.module, inputs, batchSize: try args.count("batch_size"), context: context))
            },
            builtin("linear_probe", [model, train, test, Parameter.count("steps", default: .number(300), in: 0...10_000), Parameter("learning_rate", default: .number(0.05)),
                                     Parameter("c", default: .number(1), documentation: "inverse L2 regularisation (scikit-learn's C)")],
                    summary: "Fits a logistic-regression probe on frozen features of train and reports {accuracy, train_accuracy, final_loss} on test.",
                    details: "Features are z-scored; the probe starts at zero and is deterministic. accuracy is the test accuracy.",
                    example: "r = linear_probe(nil, blobs(count: 120))\nprint(r.accuracy > 0.8)   # true", lesson: LessonNumber.supervised) { args, context in
                let (trainSet, testSet) = try trainTest(args)
                let c = try args.number("c")
                guard c > 0 else { throw context.error(Messages.text("linear_probe: c must be positive")) }
                let result = try linearProbe(trainFeatures: try features(args, trainSet, context), trainLabels: trainSet.labels,
                                             testFeatures: try features(args, testSet, context), testLabels: testSet.labels,
                                             classes: max(trainSet.classCount, testSet.classCount), steps: try args.count("steps"),
                                             learningRate: try args.float("learning_rate"), inverseRegularisation: Float(c))
                return .record(Record([("accuracy", .number(result.testAccuracy)), ("train_accuracy", .number(result.trainAccuracy)),
                                       ("final_loss", .number(result.finalLoss))]))
            },
            builtin("knn_accuracy", [model, train, test, Parameter.count("k", default: .number(20), in: 1...BoundArguments.maxCount), Parameter("temperature", default: .number(0.1))],
                    summary: "Accuracy of a weighted k-nearest-neighbour classifier (cosine similarity) on the features.",
                    example: "parts = split(moons(count: 200, noise: 0.05))\nprint(knn_accuracy(nil, parts.train, parts.test, k: 5))", lesson: LessonNumber.summary) { args, context in
                let (trainSet, testSet) = try trainTest(args)
                return .number(try knnAccuracy(trainFeatures: try features(args, trainSet, context), trainLabels: trainSet.labels,
                                               testFeatures: try features(args, testSet, context), testLabels: testSet.labels,
                                               k: try args.count("k"), temperature: try args.float("temperature"),
                                               classes: max(trainSet.classCount, testSet.classCount)))
            },
            builtin("embedding_std", [z],
                    summary: "The mean over dimensions of the std of the L2-normalised embeddings: about 1/√d when healthy, 0 when collapsed.",
                    example: "print(embedding_std(ones(10, 4)))   # 0", lesson: LessonNumber.collapse) { args, context in
                .number(try embeddingStd(try args.tensor("z", context)))
            },
            builtin("rankme", [z, Parameter("eps", default: .number(1e-7))],
                    summary: "The effective rank exp(entropy of the normalised singular values): d when spread out, 1 when collapsed.",
                    example: "print(rankme(ones(10, 4)) < 1.01)   # true", lesson: LessonNumber.collapse) { args, context in
                .number(try rankMe(try args.tensor("z", context), eps: try args.number("eps")))
            },
            builtin("alignment", [Parameter("z1"), Parameter("z2"), Parameter("alpha", default: .number(2))],
                    summary: "Mean ‖z1ᵢ − z2ᵢ‖^α of normalised positive pairs (Wang & Isola): lower is better aligned.",
                    example: "z = randn(8, 3)\nprint(alignment(z, z))   # 0", lesson: LessonNumber.contrastive) { args, context in
                .number(try alignment(try args.tensor("z1", context), try args.tensor("z2", context), alpha: try args.number("alpha")))
            },
            builtin("uniformity", [z, Parameter("t", default: .number(2))],
                    summary: "log mean exp(−t‖zᵢ − zⱼ‖²) over pairs of normalised embeddings: lower is more uniform on the sphere.",
                    example: "print(uniformity(randn(32, 3)) < uniformity(ones(32, 3)))   # true", lesson: LessonNumber.contrastive) { args, context in
                .number(try uniformity(try args.tensor("z", context), t: try args.number("t")))
            },
            builtin("localization_probe", [model, train, test, Parameter("ridge", default: .number(0.01))],
                    summary: "A ridge regression from features to each shape's bounding box: {center_r2, box_r2, mean_iou} on test.",
                    details: "Needs data sets with boxes (shapes). An encoder trained to ignore position scores low here.",
                    example: "d = shapes(count: 60, size: 16)\nr = localization_probe(nil, d)\nprint(r.center_r2 > 0)", lesson: LessonNumber.augmentations) { args, context in
                let (trainSet, testSet) = try trainTest(args)
                guard let trainBoxes = trainSet.boxes, let testBoxes = testSet.boxes else {
                    throw context.error(Messages.text("localization_probe: the data sets need bounding boxes (use shapes)"))
                }
                let result = try localisationProbe(trainFeatures: try features(args, trainSet, context), trainBoxes: trainBoxes,
                                                   testFeatures: try features(args, testSet, context), testBoxes: testBoxes,
                                                   ridge: try args.number("ridge"))
                return .record(Record([("center_r2", .number(result.centreR2)), ("box_r2", .number(result.boxR2)), ("mean_iou", .number(result.meanIoU))]))
            },
        ])
    }
}
