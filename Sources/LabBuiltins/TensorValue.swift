import Display
import LabScript
import LabSupport
import TensorCore

/// A tensor as a script value: printing, fields (`.shape`, `.grad`, `.requires_grad`,
/// `.T`), methods that forward to the builtin of the same name (`x.sum(axis: 0)` is
/// `sum(x, axis: 0)`), operators with broadcasting (`TensorValue+Operators.swift`) and
/// indexing (`TensorValue+Indexing.swift`).
///
/// The object is a reference, as the tensor is: `w = randn(3)` then `v = w` names one tensor.
public final class TensorValue: HostObject {
    public let tensor: Tensor
    /// The session's builtins, read for methods and display settings.
    let state: BuiltinState

    public init(_ tensor: Tensor, state: BuiltinState) {
        self.tensor = tensor
        self.state = state
    }

    public var typeName: String { "tensor" }

    /// A leaf with the same values, gradient flag and gradient, and storage of its own.
    public func isolatedCopy() -> (any HostObject)? {
        let copy = Tensor(shape: tensor.shape, data: tensor.data, requiresGrad: tensor.requiresGrad)
        copy.grad = tensor.grad.map { Tensor(shape: $0.shape, data: $0.data) }
        return TensorValue(copy, state: state)
    }

    /// Shape, stats line and a NumPy-style summary (Display's format); a scalar prints as
    /// its value in full precision. A tensor that requires a gradient says so on the first line.
    public var scriptDescription: String {
        let text = tensor.displayString(options: state.display.arrayOptions)
        guard tensor.requiresGrad, tensor.rank > 0, let newline = text.firstIndex(of: "\n") else { return text }
        return text[..<newline] + "  requires_grad" + text[newline...]
    }

    /// Fields of every tensor.
    static let fieldNames = ["shape", "grad", "requires_grad", "ndim", "numel", "is_leaf", "T"]

    /// Fields, then the methods: the registry's builtins marked `method: true`.
    public var memberNames: [String] { TensorValue.fieldNames + (state.registry?.tensorMethodNames ?? []) }

    public func field(_ name: String, context: CallContext) throws -> Value? {
        switch name {
        case "shape": return .list(tensor.shape.map { .int($0) })
        case "grad": return tensor.grad.map { .host(TensorValue($0, state: state)) } ?? .nilValue
        case "requires_grad": return .bool(tensor.requiresGrad)
        case "ndim": return .int(tensor.rank)
        case "numel": return .int(tensor.count)
        case "is_leaf": return .bool(tensor.isLeaf)
        case "T": return try bridged(context) { .host(TensorValue(try transpose(tensor), state: state)) }
        case "len":
            // Read by `len(x)`: the size of the first axis.
            guard let first = tensor.shape.first else { throw context.error(Messages.text("len() of a scalar tensor (shape [])")) }
            return .int(first)
        default: return nil
        }
    }

    public func setField(_ name: String, to value: Value, context: CallContext) throws -> Bool {
        switch name {
        case "requires_grad":
            guard case .bool(let flag) = value else {
                throw context.error(Messages.text("requires_grad must be true or false, got {type}", ["type": value.typeName]))
            }
            guard tensor.isLeaf else {
                throw context.error(Messages.text("requires_grad can only be changed on a leaf tensor (one not computed by an op); use detach() first"))
            }
            tensor.requiresGrad = flag
            return true
        case "grad":
            switch value {
            case .nilValue: tensor.grad = nil
            case .host(let other as TensorValue) where other.tensor.shape == tensor.shape:
                tensor.grad = Tensor(shape: other.tensor.shape, data: other.tensor.data)
            default:
                throw context.error(Messages.text("grad must be nil or a tensor of shape {shape}, got {type}",
                                                  ["shape": formatShape(tensor.shape), "type": value.typeName]))
            }
            return true
        default:
            return false
        }
    }

    /// `x.name(args)` calls the builtin `name` with `x` as its first argument.
    public func method(_ name: String) -> NativeFunction? {
        guard let builtin = state.registry?.function(named: name), builtin.isMethod else { return nil }
        let receiver = Value.host(self)
        let parameters = Array(builtin.parameters.dropFirst())
        return NativeFunction(name: "tensor.\(name)", parameters: parameters, summary: builtin.summary,
                              details: builtin.details, example: builtin.example, lesson: builtin.lesson) { args, context in
            var positional = [receiver]
            var named: [(String, Value)] = []
            for parameter in parameters {
                if parameter.isVariadic {
                    positional += args.variadic
                } else if args.wasPassed(parameter.name) {
                    named.append((parameter.name, args[parameter.name]))
                }
            }
            return try context.call(.native(builtin), positional, named: named)
        }
    }

    public func negated(context: CallContext) throws -> Value? {
        .host(TensorValue(neg(tensor), state: state))
    }

    public func maxAbsoluteDifference(to other: Value, context: CallContext) throws -> Double? {
        guard let b = try? TensorConversion.tensor(from: other, context: context, what: "expect_close") else { return nil }
        let a = tensor
        if a.shape != b.shape {
            guard (try? broadcastShape(a.shape, b.shape, op: "expect_close")) != nil else { return nil }
        }
        let difference = try bridged(context) { try withNoGrad { try sub(a, b) } }
        var worst = 0.0
        for value in difference.data {
            if value.isNaN { return .infinity }
            worst = max(worst, Double(Swift.abs(value)))
        }
        return worst
    }
}

extension BuiltinState {
    /// A tensor as a script value of this session.
    func wrap(_ tensor: Tensor) -> Value {
        .host(TensorValue(tensor, state: self))
    }
}
