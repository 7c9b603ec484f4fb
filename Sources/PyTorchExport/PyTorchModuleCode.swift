import LabSupport
import NeuralNet

/// A lab network written as PyTorch code: a Python expression that builds the same
/// `torch.nn` modules, and for every tensor of the lab's model file (`stateTensors()`) its
/// name in the PyTorch module's `state_dict()`.
///
/// Layers map one to one (`Linear` → `nn.Linear`, `BatchNorm1d` → `nn.BatchNorm1d` with the
/// same eps and momentum, `Sequential` → `nn.Sequential` with the same child names), so the
/// names are equal, except for heads of the form Linear [BatchNorm1d] [ReLU] …, which become
/// lightly's `ProjectionHead` (with `use_bias` as in the lab, whose Linears keep their bias
/// before BatchNorm): their PyTorch names gain a `layers.` prefix.
struct PyTorchNetwork {
    var code: String
    /// (PyTorch name, lab name) for every lab tensor, in the lab's order.
    var names: [(torch: String, lab: String)]

    /// `network` as PyTorch code; `head` allows lightly's `ProjectionHead` form.
    static func make(_ network: Module, head: Bool) throws -> PyTorchNetwork {
        let labNames = network.stateTensors().map(\.name)
        if head, let blocks = projectionHeadBlocks(network) {
            return PyTorchNetwork(code: "ProjectionHead([\n" + blocks.map { "    " + $0 + ",\n" }.joined() + "])",
                                  names: labNames.map { ("layers." + $0, $0) })
        }
        return PyTorchNetwork(code: try expression(network, indent: ""), names: labNames.map { ($0, $0) })
    }

    /// The Python expression building `module` (children indented below `indent`).
    static func expression(_ module: Module, indent: String) throws -> String {
        func bias(_ t: Any?) -> String { t == nil ? ", bias=False" : "" }
        switch module {
        case let m as Sequential:
            let inner = indent + "    "
            let children = try zip(m.names, m.layers).map { name, layer in
                "\(inner)(\(python(name)), \(try expression(layer, indent: inner))),\n"
            }
            return "nn.Sequential(OrderedDict([\n" + children.joined() + indent + "]))"
        case let m as Linear:
            return "nn.Linear(\(m.inFeatures), \(m.outFeatures)\(bias(m.bias)))"
        case let m as Conv2d:
            return "nn.Conv2d(\(m.inChannels), \(m.outChannels), kernel_size=\(m.kernelSize), stride=\(m.stride), padding=\(m.padding)\(bias(m.bias)))"
        case let m as BatchNorm1d:
            return "nn.BatchNorm1d(\(m.numFeatures), eps=\(python(m.eps)), momentum=\(python(m.momentum)), affine=\(python(m.isAffine)))"
        case let m as BatchNorm2d:
            return "nn.BatchNorm2d(\(m.numFeatures), eps=\(python(m.eps)), momentum=\(python(m.momentum)), affine=\(python(m.isAffine)))"
        case is ReLU: return "nn.ReLU()"
        case is Tanh: return "nn.Tanh()"
        case is GELU: return "nn.GELU(approximate=\"tanh\")"
        case is Identity: return "nn.Identity()"
        case is Flatten: return "nn.Flatten()"
        case let m as MaxPool2d: return "nn.MaxPool2d(\(m.kernelSize), stride=\(m.stride))"
        case let m as AvgPool2d: return "nn.AvgPool2d(\(m.kernelSize), stride=\(m.stride))"
        case is GlobalAvgPool: return "nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())"
        default:
            throw PyTorchExportError(.unsupported, "export_pytorch: the layer \(module.summary.split(separator: "\n").first ?? "") has no PyTorch counterpart in the exporter")
        }
    }

    /// lightly `ProjectionHead` blocks `(in, out, batch_norm, non_linearity, use_bias)` when
    /// `network` is a Sequential of Linear, optional BatchNorm1d, optional ReLU blocks with
    /// the default child names; nil otherwise.
    static func projectionHeadBlocks(_ network: Module) -> [String]? {
        guard let seq = network as? Sequential, seq.count > 0,
              seq.names == seq.layers.indices.map(String.init) else { return nil }
        var blocks: [String] = []
        var i = 0
        while i < seq.count {
            guard let linear = seq[i] as? Linear else { return nil }
            i += 1
            var norm = "None", activation = "None"
            if i < seq.count, let bn = seq[i] as? BatchNorm1d {
                norm = "nn.BatchNorm1d(\(bn.numFeatures), eps=\(python(bn.eps)), momentum=\(python(bn.momentum)), affine=\(python(bn.isAffine)))"
                i += 1
            }
            if i < seq.count, seq[i] is ReLU { activation = "nn.ReLU()"; i += 1 }
            blocks.append("(\(linear.inFeatures), \(linear.outFeatures), \(norm), \(activation), \(python(linear.bias != nil)))")
        }
        return blocks
    }
}

/// Python literals.
func python(_ value: Bool) -> String { value ? "True" : "False" }
/// The shortest decimal that reads back as the same Float32 (Python parses "1e-05").
func python(_ value: Float) -> String {
    value.isFinite ? "\(value)" : (value.isNaN ? "float(\"nan\")" : (value > 0 ? "float(\"inf\")" : "-float(\"inf\")"))
}
func python(_ value: Double) -> String {
    value.isFinite ? "\(value)" : (value.isNaN ? "float(\"nan\")" : (value > 0 ? "float(\"inf\")" : "-float(\"inf\")"))
}
/// `value` as a Python string literal: a JSON string literal is one (its escapes, `\uXXXX`
/// for control characters included, mean the same in Python).
func python(_ value: String) -> String { JSON.quoted(value) }
