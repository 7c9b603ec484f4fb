import Display
import LabScript
import LabSupport
import NeuralNet
import SelfSupervised
import TensorCore
import ToyData

/// `train(enc, data, method: "simclr", …)`: the SelfSupervised methods and their shared
/// training loop. The encoder is trained in place; heads the method needs (projector,
/// predictor) are built to fit the encoder unless given.
extension Builtins {
    static func methods(_ state: BuiltinState) -> BuiltinGroup {
        let parameters: [Parameter] = [
            Parameter("encoder", documentation: "the model to train (in place)"),
            Parameter("data", documentation: "a data set"),
            Parameter("method", default: .string("simclr"), documentation: TrainingMethods.names.map { "\"\($0)\"" }.joined(separator: ", "),
                      choices: TrainingMethods.names),
            Parameter.count("epochs", default: .number(10), in: 0...BoundArguments.maxCount),
            Parameter.count("batch_size", default: .number(256), in: 2...BoundArguments.maxCount),
            Parameter("learning_rate", default: .number(1e-3)),
            Parameter("optimizer", default: .string("adam"), documentation: "\"adam\", \"sgd\" or \"lars\""),
            Parameter("weight_decay", default: .number(0)),
            Parameter("schedule", default: .string("constant"), documentation: "\"constant\" or \"cosine\" (with warmup_epochs)"),
            Parameter.count("warmup_epochs", default: .number(0), in: 0...BoundArguments.maxCount),
            Parameter("views", default: .nilValue, documentation: "a pipeline, a pipeline name, or nil for the method's own (raw inputs for points)"),
            Parameter("projector", default: .nilValue, documentation: "a model; default: built to fit the encoder"),
            Parameter("predictor", default: .nilValue,
                      documentation: TrainingMethods.all.filter { $0.networks.contains(.predictor) }.map(\.title).joined(separator: "/")
                        + " predictor; default: built to fit"),
        ] + TrainingMethods.settings.map { setting in
            Parameter(setting.name, default: .nilValue, documentation: TrainingMethods.documentation(of: setting))
        } + [
            Parameter("seed", default: .nilValue, documentation: "batch order and views; nil draws one from the session generator"),
            Parameter("verbose", default: .bool(false), documentation: "print each epoch's mean loss"),
            Parameter("monitor", default: .bool(true),
                      documentation: "warn once, with the progress line (or verbose's lines), when diagnose() would see a collapse or divergence begin; false: no warning"),
            Parameter("progress", default: .nilValue,
                      documentation: "a progress bar (epoch, step, rate, ETA, loss); nil shows one when the output is a terminal"),
        ]
        return BuiltinGroup("Training", [
            builtin("train", parameters,
                    summary: "Trains an encoder with a self-supervised (or supervised) method; returns the run with .loss, .losses and .history.",
                    details: "Every method shares one loop: shuffled batches, two augmented views, loss, backward, optimiser step. "
                        + "Ctrl-C stops it between steps. The encoder is trained in place; probe it afterwards with linear_probe or knn_accuracy. "
                        + "Default views: the method's pipeline for images (single-channel 8×8 images, such as digits: the digits pipeline); for 2-D points, Gaussian noise of 0.1 × the data's std. "
                        + "A method setting (temperature, lambda, …) the chosen method does not read is an error, not ignored.\n"
                        + "run.history holds the run epoch by epoch (one row per finished epoch, also for an interrupted run). Columns: "
                        + "epoch, loss (the epoch's mean), seconds, the method's own metrics (DeepCluster: nmi, largest_cluster, reseeded; "
                        + "BYOL: target_distance), and for each network output the method has (encoder, projector, predictor) the collapse "
                        + "meters measured after every epoch on one fixed probe batch of 256 training inputs (drawn by the seed): std (the std of "
                        + "the L2-normalised outputs, embedding_std), centred_std (the same after subtracting the batch mean), rankme (RankMe "
                        + "of the centred outputs) and mean_share (‖mean‖ / mean ‖z‖, 1 when every output is the same vector), "
                        + "e.g. plot(run.history.projector.std). diagnose(run) reads them: verdict, where, evidence, cause and fix; with "
                        + "monitor (the default) train says once, with its progress line, when a collapse or divergence begins. history.initial has the same meters before the first step (the networks at "
                        + "initialisation), history[i] or history.rows a record per epoch, len(history) the number of epochs.\n"
                        + "Methods:\n" + TrainingMethods.all.map { methodListLine($0, language: .en) }.joined(separator: "\n"),
                    example: "enc = mlp([2, 16, 8])\nrun = train(enc, blobs(count: 64), method: \"simclr\", epochs: 2, batch_size: 32)\nprint(len(run.losses))   # 2",
                    lesson: LessonNumber.contrastive) { args, context in
                let experiment = try TrainingSetup.experiment(args, state: state, context: context)
                let (configuration, method) = (experiment.configuration, experiment.built)
                let verbose = try args.bool("verbose")
                let monitor = try args.bool("monitor")
                let description = experiment.description
                var warned = false
                // Stop on Ctrl-C, or when the run's time limit (if any) has passed.
                let deadline = context.limits.maxSeconds.map { ContinuousClock.now + .milliseconds(Int64($0 * 1000)) }
                var timedOut = false
                var epochLoss = 0.0, epochSteps = 0
                let progressSink = state.progressSink
                let inPlace = state.display.terminal.isTerminal || progressSink != nil
                let showProgress = try args["progress"].isNil ? inPlace : args.bool("progress")
                var bar: ProgressBar?
                var interrupted = false
                defer { bar?.finish(interrupted: interrupted) }
                let history = try experiment.train(shouldCancel: {
                    if let deadline, ContinuousClock.now > deadline { timedOut = true }
                    return OperationCancellation.requested || timedOut
                }, progress: { step in
                    epochLoss += step.loss
                    epochSteps += 1
                    if showProgress {
                        let perEpoch = max(1, step.totalSteps / max(1, step.epochs))
                        if bar == nil {
                            bar = ProgressBar(epochs: step.epochs, stepsPerEpoch: perEpoch,
                                              interactive: inPlace, sink: { text in
                                                  if let progressSink { progressSink(text) } else { context.write(text) }
                                              })
                        }
                        bar?.update(epoch: step.epoch, step: step.step - (step.epoch - 1) * perEpoch, loss: step.loss)
                    }
                }, evaluate: { epoch in
                    if verbose {
                        let mean = epochLoss / Double(max(epochSteps, 1))
                        context.write("epoch \(epoch)/\(configuration.epochs)  loss \(Value.format((mean * 10_000).rounded() / 10_000))\n")
                    }
                    (epochLoss, epochSteps) = (0, 0)
                    return [:]
                }, epochEnded: { sofar in
                    // The live monitor: the diagnosis of the epochs so far, said once when a
                    // collapse or divergence begins, where the progress (or verbose) lines go.
                    guard monitor, !warned, showProgress || verbose else { return }
                    let d = CollapseDiagnosis(history: sofar, run: description)
                    guard [.completeCollapse, .dimensionalCollapse, .diverged].contains(d.verdict) else { return }
                    warned = true
                    let text = DiagnosisValue.liveWarning(d, epoch: sofar.epochs.count)
                    if bar != nil { bar?.note(text) } else if let progressSink { progressSink(text + "\n") } else { context.write(text + "\n") }
                })
                if case .cancelled(let step) = history.outcome, timedOut {
                    throw RuntimeError(.limit, Messages.text("time limit reached: training stopped before step {step}", ["step": String(step)]), at: context.range)
                }
                if case .cancelled(let step) = history.outcome {
                    // Interrupted: hand back the run so far (the encoder keeps its training);
                    // the interpreter then ends the statement's run with "interrupted".
                    interrupted = true
                    bar?.finish(interrupted: true)
                    bar = nil
                    context.write("train: interrupted before step \(step): the run so far is returned "
                                  + "(.interrupted is true) and the encoder keeps its training\n")
                }
                let heads = method.heads.map { ($0.0, Value.host(ModelValue($0.1, state: state))) }
                return .host(RunValue(history: history, methodName: method.method.name, settings: method.method.settings,
                                      heads: heads, interrupted: interrupted, description: experiment.description))
            },
        ])
    }
}

/// A line of train's list of methods (help's details), `  "simclr" — NT-Xent …; views
/// "simclr"`, in `language`: its summary through the catalogue as method_map shows it,
/// the method and pipeline names as written.
func methodListLine(_ method: TrainingMethod, language: Language? = nil) -> String {
    Messages.text("  \"{name}\" — {summary}; views \"{views}\"",
                  ["name": method.name, "summary": Messages.text(method.summary, language: language), "views": method.views],
                  language: language)
}
