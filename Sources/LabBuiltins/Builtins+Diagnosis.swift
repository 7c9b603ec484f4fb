import LabScript
import LabSupport
import SelfSupervised
import TensorCore
import ToyData

/// `diagnose(run)` and `diagnose(enc, data)`: the collapse autopsy (`CollapseDiagnosis`).
extension Builtins {
    /// How many inputs `diagnose(enc, data)` measures: as many as a run's probe batch.
    static let diagnosisProbeSize = TrainingConfiguration().probeSize

    static func diagnosis(_ state: BuiltinState) -> BuiltinGroup {
        BuiltinGroup("Diagnosis", [
            builtin("diagnose", [Parameter("x", documentation: "a run from train, or an encoder (then give data)"),
                                 Parameter("data", default: .nilValue, documentation: "the data set an encoder is measured on (with an encoder)")],
                    summary: "The collapse autopsy of a run: verdict, where, evidence, cause and fix.",
                    details: "diagnose(run) reads the collapse meters train recorded after every epoch (run.history) and returns a diagnosis "
                        + "with .verdict (\"healthy\", \"complete collapse\", \"dimensional collapse\", \"not learning\" or \"diverged\"), "
                        + ".where (the network output where it shows: \"encoder\", \"projector\" or \"predictor\"; nil when healthy), "
                        + ".evidence (the thresholds crossed, the loss against the loss of the constant solution, the meters of every output "
                        + "and their trajectory), .cause (what in this run's configuration allows the failure; when nothing does, what was "
                        + "measured), .fix (one or two train arguments that remove it) and .lesson (the lesson that explains the fix). "
                        + "The verdict comes from the measurements: complete collapse when the common mean is ≥ 0.95 of an output's "
                        + "norm (mean_share), judged against the output's own start when it started below 0.95 (the part that varies "
                        + "must also have shrunk to half), and never for the output the loss reads while the loss lies below the constant "
                        + "solution's; dimensional collapse when the encoder's or projector's centred RankMe ends below 0.45 × its "
                        + "peak (at most the k directions a k-way classifier reads, DeepCluster's clusters) or 0.1 × its width; not "
                        + "learning when the loss moved by less than 1 %; diverged when anything is not finite "
                        + "or the loss exceeds 100 × the constant solution's. diagnose(enc, data) measures an encoder alone on up to 256 "
                        + "inputs of data (only a collapsed state can show there). show(diagnose(run)) draws the run's dashboard: std and "
                        + "centred RankMe per epoch for each network output, the singular values of each output's last centred "
                        + "measurement (largest first, log scale: a collapsed output's fall off after a few), and the loss against the "
                        + "constant solution's.",
                    example: "run = train(mlp([64, 32], batch_norm: false), digits(), method: \"positive-only\", epochs: 2, batch_size: 128)\n"
                        + "d = diagnose(run)\nprint(d.verdict, d.where)   # complete collapse encoder\nprint(d.fix)",
                    lesson: LessonNumber.collapse) { args, context in
                switch args["x"] {
                case .host(let run as RunValue):
                    guard args["data"].isNil else { throw args.typeError("data", expected: "nil with a run (the run carries its own measurements)") }
                    return .host(DiagnosisValue(CollapseDiagnosis(history: run.history, run: run.description), history: run.history))
                case .host(let model as ModelValue):
                    guard case .host(let dataValue as DatasetValue) = args["data"] else {
                        throw args.typeError("data", expected: "a data set (the inputs the encoder is measured on)")
                    }
                    let data = dataValue.dataset
                    guard data.count >= 2 else {
                        throw RuntimeError(.argument, Messages.text("diagnose: the data set needs at least 2 inputs, it has {count}",
                                                                    ["count": String(data.count)]), at: args.range(of: "data"))
                    }
                    var rng = RandomGenerator(seed: 0)
                    let rows = Array(rng.permutation(data.count).prefix(diagnosisProbeSize)).sorted()
                    let z = try ModelValue.embed(model.module, try data.selecting(rows).inputs, batchSize: 256, context: context)
                    guard z.rank == 2 else {
                        throw RuntimeError(.argument, Messages.text("diagnose: the encoder must output [N, features], it gives {shape}",
                                                                    ["shape": formatShape(z.shape)]), at: args.range(of: "x"))
                    }
                    var history = TrainingHistory()
                    history.probeSize = rows.count
                    history.initialOutputs[.encoder] = try OutputStatistics(of: z)
                    return .host(DiagnosisValue(CollapseDiagnosis(history: history), history: history))
                default:
                    throw args.typeError("x", expected: "a run (from train) or an encoder")
                }
            },
        ])
    }
}
