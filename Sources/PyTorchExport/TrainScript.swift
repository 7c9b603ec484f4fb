import Foundation
import SelfSupervised

/// train.py: the template `Resources/train.py` (the runtime, the methods' losses, the
/// loop, all fixed Python) with the experiment's values and its networks' code filled in.
///
/// The template is a Python file that byte-compiles and lints as it is. Its slots:
/// `<<title>>` and `<<versions>>` in the docstring are replaced in place; a block from a
/// line `# <<name>>` to a line `# <</name>>` (sample code between them, so the template
/// uses every name it imports) is replaced, marker lines included, by the generated lines.
/// The template's final newline is dropped: train.py has always ended without one.
enum TrainScript {
    /// The library versions the script is written for, and those it was checked with.
    static let versions = [
        ("lightly", "1.6", "1.6.0"), ("torch", "2.x", "2.15.0"), ("torchvision", "≥ 0.21 (v2.GaussianNoise)", "0.29.2"),
        ("safetensors", "any", "0.8.0"),
    ]

    /// The bundled template, parsed once.
    static let template: Result<ScriptTemplate, PyTorchExportError> = {
        guard let url = Bundle.module.url(forResource: "train", withExtension: "py"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            return .failure(PyTorchExportError(.file, "export_pytorch: the bundled train.py template is missing"))
        }
        return Result { try ScriptTemplate(text.hasSuffix("\n") ? String(text.dropLast()) : text) }
            .mapError { PyTorchExportError(.file, "export_pytorch: the bundled train.py template is damaged: \($0)") }
    }()

    static func make(_ e: PyTorchExperiment, title: String) throws -> String {
        let c = e.configuration
        let shape = e.data.sampleShape
        var settings: [(String, String)] = [
            ("method", python(e.methodName)), ("data", python(e.data.name)),
            ("input_shape", "[" + shape.map(String.init).joined(separator: ", ") + "]"), ("count", "\(e.data.count)"),
            ("epochs", "\(c.epochs)"), ("batch_size", "\(e.batchSize)"), ("learning_rate", python(c.learningRate)),
        ]
        switch c.optimizer {
        case let .adam(wd): settings += [("optimizer", "\"adam\""), ("weight_decay", python(wd))]
        case let .sgd(_, wd): settings += [("optimizer", "\"sgd\""), ("weight_decay", python(wd))]
        case let .lars(_, wd): settings += [("optimizer", "\"lars\""), ("weight_decay", python(wd))]
        }
        switch c.schedule {
        case .constant: settings += [("schedule", "\"constant\""), ("warmup_epochs", "0")]
        case let .cosine(w): settings += [("schedule", "\"cosine\""), ("warmup_epochs", "\(w)")]
        }
        settings += [("seed", "\(c.seed)"), ("flatten_inputs", python(c.flattenInputs))] + e.hyperparameters

        var networks = "", names = ""
        for (name, module) in e.networks {
            let network: PyTorchNetwork
            do {
                network = try PyTorchNetwork.make(module, head: name != "encoder")
            } catch var error as PyTorchExportError {
                error.subject = name
                throw error
            }
            networks += "        \(python(name)): " + indent(network.code, by: "        ") + ",\n"
            names += "    \(python(name)): {\n" + network.names.map { "        \(python($0.torch)): \(python($0.lab)),\n" }.joined() + "    },\n"
        }
        let (h, w) = e.data.inputs.rank == 4 ? (e.data.inputs.shape[2], e.data.inputs.shape[3]) : (1, 1)
        let views = try e.configuration.views.map { v in
            (try PyTorchViewCode.pipeline(v.first, height: h, width: w), try PyTorchViewCode.pipeline(v.second, height: h, width: w))
        } ?? ("None", "None")

        return try template.get().fill([
            "title": title,
            "versions": versions.map { "\($0.0) \($0.1)" }.joined(separator: ", "),
            "settings": settings.map { "    \(python($0.0)): \($0.1)," }.joined(separator: "\n"),
            "trainable": "TRAINABLE = [" + e.networks.map { python($0.name) }.joined(separator: ", ") + "]\n"
                + "TARGETS = [" + e.targets.map { python($0) }.joined(separator: ", ") + "]",
            "loss": lossCode(e.loss),
            "networks": networks.hasSuffix("\n") ? String(networks.dropLast()) : networks,
            "lab_names": names.hasSuffix("\n") ? String(names.dropLast()) : names,
            "views": "    first = " + indent(views.0, by: "    ") + "\n    second = " + indent(views.1, by: "    "),
        ])
    }

    /// train.py's `LOSS`: the method's loss as its entry declares it, arguments that are
    /// settings read from `EXPERIMENT`.
    static func lossCode(_ loss: MethodLoss) -> String {
        func code(_ argument: MethodLoss.Argument) -> String {
            switch argument {
            case .setting(let name): return "EXPERIMENT[\(python(name))]"
            case .constant(let value): return python(value)
            }
        }
        let arguments = loss.arguments.map { "\(python($0.name)): \(code($0.value))" }.joined(separator: ", ")
        let queue = loss.queue.map { q in
            "{\"joins\": \(python(q.joins.rawValue)), \"views\": [\(q.views.map(String.init).joined(separator: ", "))], "
                + "\"argument\": \(q.argument.map { python($0) } ?? "None")}"
        } ?? "None"
        return """
            LOSS = {
                "criterion": \(python(loss.criterion)),
                "arguments": {\(arguments)},
                "first": \(python(loss.first.rawValue)),
                "second": \(python(loss.second.rawValue)),
                "symmetric": \(python(loss.symmetric)),
                "gather": \(python(loss.gather)),
                "stop_gradient": \(code(loss.stopGradient)),
                "queue": \(queue),
            }
            """
    }

    /// `text` with every line after the first indented by `prefix`.
    static func indent(_ text: String, by prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? String($0.element) : prefix + $0.element }.joined(separator: "\n")
    }
}
