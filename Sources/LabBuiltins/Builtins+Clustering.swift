import LabScript
import LabSupport
import SelfSupervised
import TensorCore
import ToyData

/// Clustering: k-means on embeddings and the normalised mutual information of two
/// labelings (how DeepCluster's pseudo-labels are made and judged).
extension Builtins {
    static func clustering(_ state: BuiltinState) -> BuiltinGroup {
        /// Class indices from a tensor or list of whole numbers ≥ 0, or a data set's labels.
        func labels(_ args: BoundArguments, _ name: String, _ context: CallContext) throws -> [Int] {
            if case .host(let data as DatasetValue) = args[name] { return data.dataset.labels }
            let t = try args.tensor(name, context)
            guard t.rank == 1 else {
                throw RuntimeError(.argument, Messages.text("nmi: {name} must be a vector of labels, got shape {shape}", ["name": name, "shape": formatShape(t.shape)]), at: args.range(of: name))
            }
            return try t.data.map { v in
                guard v >= 0, v == v.rounded(), v < 1e9 else {
                    throw RuntimeError(.argument, Messages.text("nmi: {name} must hold whole numbers ≥ 0, found {value}", ["name": name, "value": Value.format(Double(v))]), at: args.range(of: name))
                }
                return Int(v)
            }
        }
        return BuiltinGroup("Clustering", [
            builtin("kmeans", [Parameter("z", documentation: "points [n, d]"), Parameter.count("k", in: 1...BoundArguments.maxCount, documentation: "number of clusters, 1 ≤ k ≤ n"),
                               Parameter("seed", default: .nilValue, documentation: "k-means++ draws; nil draws one from the session generator"),
                               Parameter("init", default: .nilValue, documentation: "initial centres [k, d] instead of k-means++"),
                               Parameter.count("iterations", default: .number(100), in: 1...10_000, documentation: "at most this many Lloyd iterations")],
                    summary: "Lloyd's k-means with k-means++ initialisation: {labels, centres, inertia, sizes, iterations, converged, reseeded}.",
                    details: "Each iteration assigns every point to its nearest centre (ties: the lower index) and moves each centre to its points' mean, "
                        + "until no assignment changes. An empty cluster is re-seeded by splitting the largest one (DeepCluster's fix); reseeded counts them. "
                        + "inertia is the sum of squared distances to the centres, as scikit-learn's KMeans(...).inertia_.",
                    example: "km = kmeans(tensor([[0, 0], [0, 1], [10, 10], [10, 11]]), 2, seed: 0)\nprint(km.inertia)   # 1\nprint(km.sizes)   # [2, 2]",
                    lesson: LessonNumber.positives) { args, context in
                let z = try args.tensor("z", context)
                guard z.rank == 2 else {
                    throw RuntimeError(.argument, Messages.text("kmeans: z must be points [n, d], got shape {shape}", ["shape": formatShape(z.shape)]), at: args.range(of: "z"))
                }
                guard z.shape[0] > 0, z.shape[1] > 0 else {
                    throw RuntimeError(.argument, Messages.text("kmeans: no points to cluster (z has shape {shape})", ["shape": formatShape(z.shape)]), at: args.range(of: "z"))
                }
                let k = try args.count("k")
                guard k <= z.shape[0] else {
                    throw RuntimeError(.argument, Messages.text("kmeans: k = {k} clusters need at least {k} points, z has {count}", ["k": String(k), "count": String(z.shape[0])]), at: args.range(of: "k"))
                }
                let initial: Tensor? = args["init"].isNil ? nil : try args.tensor("init", context)
                if let initial, initial.shape != [k, z.shape[1]] {
                    throw RuntimeError(.argument, Messages.text("kmeans: init must be [{k}, {d}], got {shape}", ["k": String(k), "d": String(z.shape[1]), "shape": formatShape(initial.shape)]), at: args.range(of: "init"))
                }
                if let initial, !initial.data.allSatisfy(\.isFinite) {
                    throw RuntimeError(.argument, Messages.text("kmeans: init contains NaN or ±∞; every initial centre needs finite coordinates"), at: args.range(of: "init"))
                }
                let iterations = try args.count("iterations")
                try context.checkShape([z.shape[0], k], operation: "kmeans")
                let seed: UInt64
                if args["seed"].isNil { seed = state.nextSeed() } else {
                    let s = try args.int("seed")
                    guard s >= 0 else { throw RuntimeError(.argument, Messages.text("kmeans: seed must be ≥ 0, got {value}", ["value": String(s)]), at: args.range(of: "seed")) }
                    seed = UInt64(s)
                }
                var rng = RandomGenerator(seed: seed)
                let r = try kMeans(z, k: k, initial: initial, maxIterations: iterations, rng: &rng)
                return .record(Record([
                    ("labels", state.wrap(Tensor(shape: [r.labels.count], data: r.labels.map(Float.init)))),
                    ("centres", state.wrap(r.centres)), ("inertia", .number(r.inertia)),
                    ("sizes", .list(r.sizes.map { .int($0) })), ("iterations", .int(r.iterations)),
                    ("converged", .bool(r.converged)), ("reseeded", .int(r.reseeded)),
                ]))
            },
            builtin("nmi", [Parameter("a", documentation: "labels: a vector of whole numbers, or a data set"),
                            Parameter("b", documentation: "labels of the same points")],
                    summary: "Normalised mutual information of two labelings: 1 when one renames the other, about 0 when unrelated.",
                    details: "I(a; b) / mean(H(a), H(b)), as scikit-learn's normalized_mutual_info_score; the cluster numbers themselves do not matter.",
                    example: "print(nmi([0, 0, 1, 1], [1, 1, 0, 0]))   # 1\nprint(nmi([0, 1, 0, 1], [0, 0, 1, 1]))   # 0",
                    lesson: LessonNumber.positives) { args, context in
                .number(try normalizedMutualInformation(try labels(args, "a", context), try labels(args, "b", context)))
            },
        ])
    }
}
