import Foundation
import LabSupport
import NeuralNet

extension TrainingMethods {
    /// The settings methods read; `train` has one parameter per setting (default nil: the
    /// method's own default, listed in the parameter's documentation).
    public static let settings: [MethodSetting] = [
        MethodSetting(name: "temperature", documentation: "softmax temperature τ of the contrastive loss"),
        MethodSetting(name: "lambda", documentation: "weight λ (Barlow Twins: of the off-diagonal terms; VICReg: of the invariance term)"),
        MethodSetting(name: "mu", documentation: "VICReg's weight μ of the variance term (0: the no-variance ablation)"),
        MethodSetting(name: "nu", documentation: "VICReg's weight ν of the covariance term"),
        MethodSetting(name: "momentum", documentation: "EMA momentum of the target (key) networks"),
        MethodSetting(name: "momentum_schedule",
                      documentation: "true: the momentum rises from its value to 1 on a cosine; false keeps it constant"),
        MethodSetting(name: "queue_size",
                      documentation: "number of past embeddings in the queue (MoCo: the negative keys; NNCLR: the support set of nearest neighbours)"),
        MethodSetting(name: "stop_gradient", documentation: "false: gradients flow through both branches (the collapse ablation)"),
        MethodSetting(name: "distance", documentation: "\"cosine\" or \"squared\" distance between the views"),
        MethodSetting(name: "clusters", documentation: "number k of k-means clusters (pseudo-labels)"),
        MethodSetting(name: "balanced", documentation: "true: each epoch samples uniformly over the pseudo-labels"),
        MethodSetting(name: "weighted",
                      documentation: "DCL: true weights each positive pair by how hard it is (DCLW, von Mises-Fisher weighting with σ 0.5)"),
        MethodSetting(name: "whitening_size",
                      documentation: "W-MSE: whiten sub-batches of this many examples (the paper's w_size, e.g. 2 × the embedding width); 0: the whole batch"),
    ]

    /// Every training method, in the order help and the docs list them.
    public static let all: [TrainingMethod] = [
        TrainingMethod(name: "simclr", title: "SimCLR",
                       summary: "NT-Xent between the two views' projections (Chen et al. 2020)",
                       family: .contrastive, lesson: 4, networks: [.encoder, .projector],
                       settings: [MethodSettingSpec("temperature", .positive, default: .number(0.5))], views: "simclr",
                       tuning: MethodTuning("temperature", [0.5, 0.2, 0.1])) { r in
            let g = r.projector ?? simclrProjector(inFeatures: r.features, hidden: 128, outFeatures: 64, rng: &r.rng)
            return BuiltMethod(SimCLR(encoder: r.encoder, projector: g, temperature: try r.float("temperature")),
                               heads: [("projector", g)])
        }.exported(MethodExport(loss: MethodLoss("NTXentLoss", ["temperature": .setting("temperature"),
                                                                "gather_distributed": .constant(.bool(true))],
                                                 first: .projections, second: .projections)))
        .collapsing(MethodCollapse(trivialLoss: { r, _ in log(2 * TrainingMethods.pairs(r) - 1) }, negatives: true)),
        TrainingMethod(name: "moco", title: "MoCo v2",
                       summary: "InfoNCE against a queue of keys from a momentum encoder (Chen et al. 2020)",
                       family: .contrastive, lesson: 4,
                       networks: [.encoder, .projector, .target(of: .encoder), .target(of: .projector)],
                       settings: [MethodSettingSpec("temperature", .positive, default: .number(0.2)),
                                  MethodSettingSpec("momentum", .unit, default: .number(0.99)),
                                  MethodSettingSpec("momentum_schedule", .bool, default: .bool(true)),
                                  MethodSettingSpec("queue_size", .count(1...1_000_000), default: .number(1024))],
                       views: "moco-v2", tuning: MethodTuning("temperature", [0.2, 0.1, 0.5])) { r in
            let g = r.projector ?? simclrProjector(inFeatures: r.features, hidden: 128, outFeatures: 64, rng: &r.rng)
            let dimension = try outputWidth(g, inputs: r.features) ?? 64
            let queue = try r.int("queue_size")
            try r.checkShape([queue, dimension])
            return BuiltMethod(MoCo(encoder: r.encoder, projector: g, embeddingDimension: dimension, queueSize: queue,
                                    temperature: try r.float("temperature"), momentum: try r.float("momentum"),
                                    momentumSchedule: try r.bool("momentum_schedule"), rng: &r.rng),
                               heads: [("projector", g)])
        }.exported(MethodExport(MoCo.self, loss: MethodLoss("InfoNCE", ["temperature": .setting("temperature")],
                                                            first: .projections, second: .targets, symmetric: true,
                                                            queue: MethodLoss.Queue(joins: .targets, views: [1, 2], argument: "queue")),
                                derivedSettings: { [("embedding_dim", .int($0.queue.dimension))] },
                                initialState: { [("queue", $0.queue.keys)] }, initialStateDescription: "MoCo's initial `queue`"))
        .collapsing(MethodCollapse(trivialLoss: { r, _ in r.number("queue_size").map { log($0 + 1) } }, negatives: true)),
        TrainingMethod(name: "byol", title: "BYOL",
                       summary: "an online network with a predictor regresses an EMA target's projection (Grill et al. 2020)",
                       family: .distillation, lesson: 7,
                       networks: [.encoder, .projector, .predictor, .target(of: .encoder), .target(of: .projector)],
                       settings: [MethodSettingSpec("momentum", .unit, default: .number(0.9)),
                                  MethodSettingSpec("momentum_schedule", .bool, default: .bool(true))], views: "byol",
                       tuning: MethodTuning("momentum", [0.9, 0.99, 0.96])) { r in
            let g = r.projector ?? byolProjector(inFeatures: r.features, hidden: 256, outFeatures: 64, rng: &r.rng)
            let q = r.predictor ?? predictor(features: 64, hidden: 256, rng: &r.rng)
            return BuiltMethod(BYOL(encoder: r.encoder, projector: g, predictor: q, momentum: try r.float("momentum"),
                                    momentumSchedule: try r.bool("momentum_schedule")),
                               heads: [("projector", g), ("predictor", q)])
        }.exported(MethodExport(loss: MethodLoss("NegativeCosineSimilarity", first: .predictions, second: .targets,
                                                 symmetric: true)))
        .collapsing(MethodCollapse(trivialLoss: { _, _ in -1 }, risks: [noPredictor("byol")])),
        TrainingMethod(name: "simsiam", title: "SimSiam",
                       summary: "a predictor on one branch, a stop-gradient on the other (Chen & He 2021)",
                       family: .distillation, lesson: 7, networks: [.encoder, .projector, .predictor],
                       settings: [MethodSettingSpec("stop_gradient", .bool, default: .bool(true))], views: "simclr") { r in
            let g = r.projector ?? simsiamProjector(inFeatures: r.features, hidden: 128, outFeatures: 64, rng: &r.rng)
            let q = r.predictor ?? predictor(features: 64, hidden: 16, rng: &r.rng)
            return BuiltMethod(SimSiam(encoder: r.encoder, projector: g, predictor: q, stopGradient: try r.bool("stop_gradient")),
                               heads: [("projector", g), ("predictor", q)])
        }.exported(MethodExport(loss: MethodLoss("NegativeCosineSimilarity", first: .predictions, second: .projections,
                                                 symmetric: true, stopGradient: .setting("stop_gradient"))))
        .collapsing(MethodCollapse(trivialLoss: { _, _ in -1 }, risks: [
            MethodCollapse.Risk(.noStopGradient, fix: ["stop_gradient: true"], lesson: 7) { $0.bool("stop_gradient") == false },
            noPredictor("simsiam"),
        ])),
        TrainingMethod(name: "barlow", title: "Barlow Twins",
                       summary: "the cross-correlation of the two views driven to the identity (Zbontar et al. 2021)",
                       family: .redundancyReduction, lesson: 6, networks: [.encoder, .projector],
                       settings: [MethodSettingSpec("lambda", .nonNegative, default: .number(0.0125))], views: "barlow",
                       tuning: MethodTuning("lambda", [0.0125, 0.005, 0.03])) { r in
            let g = r.projector ?? expander(inFeatures: r.features, width: 128, rng: &r.rng)
            return BuiltMethod(BarlowTwins(encoder: r.encoder, projector: g, lambda: try r.float("lambda")),
                               heads: [("projector", g)])
        }.exported(MethodExport(loss: MethodLoss("BarlowTwinsLoss", ["lambda_param": .setting("lambda"),
                                                                     "gather_distributed": .constant(.bool(false))],
                                                 first: .projections, second: .projections, gather: true)))
        .collapsing(MethodCollapse(trivialLoss: { _, width in width.map(Double.init) }, risks: [
            MethodCollapse.Risk(.noRedundancyTerm, fix: ["lambda: 0.0125"], lesson: 6) { $0.number("lambda") == 0 },
        ])),
        TrainingMethod(name: "vicreg", title: "VICReg",
                       summary: "invariance, variance and covariance terms (Bardes et al. 2022)",
                       family: .redundancyReduction, lesson: 7, networks: [.encoder, .projector],
                       settings: [MethodSettingSpec("lambda", .nonNegative, default: .number(25)),
                                  MethodSettingSpec("mu", .nonNegative, default: .number(25)),
                                  MethodSettingSpec("nu", .nonNegative, default: .number(1))], views: "vicreg",
                       tuning: MethodTuning("lambda", [25, 10, 50])) { r in
            let g = r.projector ?? expander(inFeatures: r.features, width: 128, rng: &r.rng)
            return BuiltMethod(VICReg(encoder: r.encoder, projector: g, lambda: try r.float("lambda"),
                                      mu: try r.float("mu"), nu: try r.float("nu")),
                               heads: [("projector", g)])
        }.exported(MethodExport(loss: MethodLoss("VICRegLoss", ["lambda_param": .setting("lambda"), "mu_param": .setting("mu"),
                                                                "nu_param": .setting("nu"),
                                                                "gather_distributed": .constant(.bool(true))],
                                                 first: .projections, second: .projections)))
        .collapsing(MethodCollapse(trivialLoss: { r, _ in r.number("mu") ?? 25 }, risks: [
            MethodCollapse.Risk(.noVarianceTerm, fix: ["mu: 25"], lesson: 7) { $0.number("mu") == 0 },
            MethodCollapse.Risk(.noCovarianceTerm, fix: ["nu: 1"], lesson: 7) { $0.number("nu") == 0 },
        ], unexplainedFix: ["method: \"simclr\""], unexplainedLesson: 4)),
        TrainingMethod(name: "wmse", title: "W-MSE",
                       summary: "MSE between whitened embeddings of the views (Ermolov et al. 2021)",
                       family: .redundancyReduction, lesson: 7, networks: [.encoder, .projector],
                       settings: [MethodSettingSpec("whitening_size", .count(0...100_000), default: .number(0))],
                       views: "simclr") { r in
            // Whitening needs more examples per batch than dimensions.
            let width = Swift.max(2, Swift.min(32, r.batchSize / 2))
            let g = r.projector ?? simclrProjector(inFeatures: r.features, hidden: 128, outFeatures: width, rng: &r.rng)
            let size = try r.int("whitening_size")
            return BuiltMethod(WMSE(encoder: r.encoder, projector: g, whiteningSize: size == 0 ? nil : size),
                               heads: [("projector", g)])
        },
        TrainingMethod(name: "dcl", title: "DCL",
                       summary: "decoupled contrastive loss: NT-Xent without the positive in the denominator (Yeh et al. 2022)",
                       family: .contrastive, lesson: nil, networks: [.encoder, .projector],
                       settings: [MethodSettingSpec("temperature", .positive, default: .number(0.1)),
                                  MethodSettingSpec("weighted", .bool, default: .bool(false))], views: "simclr",
                       tuning: MethodTuning("temperature", [0.1, 0.2, 0.5])) { r in
            let g = r.projector ?? simclrProjector(inFeatures: r.features, hidden: 128, outFeatures: 64, rng: &r.rng)
            return BuiltMethod(DCLMethod(encoder: r.encoder, projector: g, temperature: try r.float("temperature"),
                                         weighted: try r.bool("weighted")),
                               heads: [("projector", g)])
        }.exported(MethodExport(loss: { settings in
            settings["weighted"] == .bool(true)
                ? MethodLoss("DCLWLoss", ["temperature": .setting("temperature"), "sigma": .constant(.float(0.5)),
                                          "gather_distributed": .constant(.bool(true))], first: .projections, second: .projections)
                : MethodLoss("DCLLoss", ["temperature": .setting("temperature"), "gather_distributed": .constant(.bool(true))],
                             first: .projections, second: .projections)
        }))
        .collapsing(MethodCollapse(trivialLoss: { r, _ in log(2 * TrainingMethods.pairs(r) - 2) }, negatives: true)),
        TrainingMethod(name: "nnclr", title: "NNCLR",
                       summary: "NT-Xent between one view's prediction and the nearest neighbour of the other view's projection in a support queue of past projections (Dwibedi et al. 2021)",
                       family: .contrastive, lesson: nil, networks: [.encoder, .projector, .predictor],
                       settings: [MethodSettingSpec("temperature", .positive, default: .number(0.1)),
                                  MethodSettingSpec("queue_size", .count(1...1_000_000), default: .number(1024))],
                       views: "simclr", tuning: MethodTuning("temperature", [0.1, 0.2, 0.5]), inCourse: false) { r in
            let g = r.projector ?? nnclrProjector(inFeatures: r.features, hidden: 128, outFeatures: 64, rng: &r.rng)
            let dimension = try outputWidth(g, inputs: r.features) ?? 64
            let q = r.predictor ?? predictor(features: dimension, hidden: 256, rng: &r.rng)
            let size = try r.int("queue_size")
            try r.checkShape([size, dimension])
            return BuiltMethod(NNCLR(encoder: r.encoder, projector: g, predictor: q, embeddingDimension: dimension,
                                     supportSize: size, temperature: try r.float("temperature"), rng: &r.rng),
                               heads: [("projector", g), ("predictor", q)])
        }.exported(MethodExport(NNCLR.self, loss: MethodLoss("NTXentLoss", ["temperature": .setting("temperature"),
                                                                            "gather_distributed": .constant(.bool(true))],
                                                             first: .neighbours, second: .predictions, symmetric: true,
                                                             queue: MethodLoss.Queue(joins: .projections, views: [2])),
                                derivedSettings: { [("embedding_dim", .int($0.support.dimension))] },
                                initialState: { [("queue", $0.support.keys)] },
                                initialStateDescription: "NNCLR's initial support set `queue`"))
        .collapsing(MethodCollapse(trivialLoss: { r, _ in log(2 * TrainingMethods.pairs(r) - 1) }, negatives: true)),
        TrainingMethod(name: "positive-only", title: "Positive-only",
                       summary: "only pulls the two views together: collapses (lesson 3)",
                       family: .collapses, lesson: 3, networks: [.encoder, .projector],
                       settings: [MethodSettingSpec("distance", .choice(PositiveDistance.allCases.map(\.rawValue)), default: .string("cosine"))], views: "simclr") { r in
            let g = r.projector ?? Identity()
            let name = try r.string("distance")
            guard let distance = PositiveDistance(rawValue: name) else {   // checked by the spec
                throw MethodSetupError(parameter: "distance", Messages.text("no distance \"{name}\"", ["name": name]))
            }
            return BuiltMethod(PositiveOnlySiamese(encoder: r.encoder, projector: g, distance: distance),
                               heads: [("projector", g)])
        }.exported(MethodExport(loss: { settings in
            MethodLoss(settings["distance"] == .string(PositiveDistance.squared.rawValue) ? "squared_distance" : "NegativeCosineSimilarity",
                       first: .projections, second: .projections)
        }))
        .collapsing(MethodCollapse(trivialLoss: { r, _ in r.settings["distance"] == .string("squared") ? 0 : -1 }, risks: [
            MethodCollapse.Risk(.positivePairsOnly, fix: ["method: \"simsiam\"", "method: \"simclr\""], lesson: 7) { _ in true },
        ])),
        TrainingMethod(name: "deepcluster", title: "DeepCluster",
                       summary: "k-means pseudo-labels of the features, a classifier trained on them, repeated every epoch (Caron et al. 2018)",
                       family: .clustering, lesson: 7, networks: [.encoder, .head],
                       settings: [MethodSettingSpec("clusters", .count(2...100_000), default: .number(10)),
                                  MethodSettingSpec("balanced", .bool, default: .bool(true))], views: "simclr",
                       tuning: MethodTuning("clusters", [10, 30, 100])) { r in
            let k = try r.int("clusters")
            try r.checkShape([r.features, k])   // the head's weights, before they are made
            let method = DeepCluster(encoder: r.encoder, features: r.features, clusters: k, balanced: try r.bool("balanced"), rng: &r.rng)
            return BuiltMethod(method, heads: [("head", method.head)])
        }.collapsing(MethodCollapse(lossDirections: { r in r.number("clusters").map { Int($0) } })),
        TrainingMethod(name: "supervised", title: "Supervised",
                       summary: "cross-entropy on the labels, a linear head on the encoder (the baseline)",
                       family: .supervised, lesson: 1, networks: [.encoder, .head],
                       views: "simclr") { r in
            let head = r.projector ?? Linear(r.features, r.classes, rng: &r.rng)
            return BuiltMethod(Supervised(encoder: r.encoder, head: head), heads: [("head", head)])
        }.exported(MethodExport(loss: MethodLoss("cross_entropy", first: .head, second: .labels))),
    ]
}

/// The output width of `module` on inputs of `inputs` features (one forward pass of two
/// zero rows in evaluation mode, without a graph; the mode is restored), or nil if the
/// output is not [N, width].
func outputWidth(_ module: Module, inputs: Int) throws -> Int? {
    let wasTraining = module.isTraining
    module.eval()
    defer { module.setTraining(wasTraining) }
    let y = try withNoGrad { try module(Tensor.zeros([2, inputs])) }
    return y.rank == 2 ? y.shape[1] : nil
}

extension TrainingMethods {
    /// N pairs in a batch (at least 2), for the contrastive losses' constant-solution value.
    fileprivate static func pairs(_ run: RunDescription) -> Double { Double(Swift.max(run.batchSize, 2)) }
}

/// BYOL or SimSiam without its predictor (an identity head): nothing breaks the symmetry.
fileprivate func noPredictor(_ method: String) -> MethodCollapse.Risk {
    MethodCollapse.Risk(.noPredictor(method: method), fix: ["predictor: nil"], lesson: 7) { $0.identityHeads.contains("predictor") }
}
