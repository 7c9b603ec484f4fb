import TensorCore

/// A layer or a network of layers: the base class of everything in NeuralNet.
///
/// `Module` is a class (not a protocol) because every module shares state and behaviour
/// that a protocol could not store: the train/eval flag, and the walks over parameters,
/// buffers and submodules that PyTorch's `nn.Module` does. A subclass says only
///
/// - how to compute its output: `forward(_:)`;
/// - what it owns: `localParameters` (trained), `localBuffers` (saved but not trained,
///   e.g. BatchNorm's running statistics) and `children` (submodules), each named;
/// - how to copy itself deeply: `copy()`.
///
/// Parameters are `Tensor` objects shared by reference: an optimiser updates their
/// `data` in place, and loading a model file writes into them. Names are dotted paths as in
/// PyTorch's `state_dict`: `"0.weight"`, `"1.running_mean"`, `"encoder.3.bias"`.
open class Module {
    /// Whether the module is in training mode (BatchNorm uses batch statistics) or in
    /// evaluation mode (running statistics). New modules start in training mode.
    public private(set) var isTraining = true

    public init() {}

    // MARK: What a subclass provides

    /// The output for input `x`. Errors (wrong shapes) are thrown, never trapped.
    open func forward(_ x: Tensor) throws -> Tensor {
        preconditionFailure("\(type(of: self)) must override forward(_:)")
    }

    /// This module's own trainable parameters (not those of its children), in order.
    open var localParameters: [(name: String, tensor: Tensor)] { [] }

    /// This module's own buffers: state that is saved and loaded but not trained.
    open var localBuffers: [(name: String, tensor: Tensor)] { [] }

    /// The direct submodules, named, in order.
    open var children: [(name: String, module: Module)] { [] }

    /// A deep copy: new parameter and buffer tensors with the same values (no gradients),
    /// the same training mode. Changing one never changes the other.
    open func copy() -> Module {
        preconditionFailure("\(type(of: self)) must override copy()")
    }

    /// A short description, e.g. `Linear(64, 256)`; containers list their children.
    open var summary: String { String(describing: type(of: self)) + "()" }

    // MARK: Calling

    /// `forward(x)`: a model is called like a function, `try model(x)`.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try forward(x)
    }

    // MARK: Walking the tree

    /// Every trainable parameter with its dotted name, in a fixed order: a module's own
    /// parameters first, then those of its children in order (PyTorch's order).
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        var out: [(name: String, tensor: Tensor)] = []
        walk(prefix: "") { prefix, module in
            for p in module.localParameters { out.append((prefix + p.name, p.tensor)) }
        }
        return out
    }

    /// Every trainable parameter, in the order of `namedParameters()`.
    public func parameters() -> [Tensor] {
        namedParameters().map(\.tensor)
    }

    /// Every buffer (running statistics) with its dotted name.
    public func namedBuffers() -> [(name: String, tensor: Tensor)] {
        var out: [(name: String, tensor: Tensor)] = []
        walk(prefix: "") { prefix, module in
            for b in module.localBuffers { out.append((prefix + b.name, b.tensor)) }
        }
        return out
    }

    /// Everything a model file holds: per module its parameters then its buffers, modules
    /// in order (the order of PyTorch's `state_dict()`, without `num_batches_tracked`).
    public func stateTensors() -> [(name: String, tensor: Tensor)] {
        var out: [(name: String, tensor: Tensor)] = []
        walk(prefix: "") { prefix, module in
            for p in module.localParameters { out.append((prefix + p.name, p.tensor)) }
            for b in module.localBuffers { out.append((prefix + b.name, b.tensor)) }
        }
        return out
    }

    /// This module and all modules below it, depth first, each with its dotted prefix
    /// (`""` for the root, `"0."` for its first child, …).
    func walk(prefix: String, _ visit: (String, Module) -> Void) {
        visit(prefix, self)
        for child in children {
            child.module.walk(prefix: prefix + child.name + ".", visit)
        }
    }

    /// The number of trainable scalars (Σ of the parameters' element counts).
    public var parameterCount: Int {
        parameters().reduce(0) { $0 + $1.count }
    }

    // MARK: Modes

    /// Sets training (`true`) or evaluation (`false`) mode here and in every submodule.
    public func setTraining(_ training: Bool) {
        walk(prefix: "") { _, module in module.isTraining = training }
    }

    /// Training mode: BatchNorm normalises with batch statistics and updates its running ones.
    public func train() { setTraining(true) }

    /// Evaluation mode: BatchNorm normalises with its running statistics.
    public func eval() { setTraining(false) }

    /// Stops gradients to every parameter (`requiresGrad = false`, grads cleared), e.g.
    /// for a frozen encoder under a linear probe. Optimisers skip parameters without a grad.
    public func freeze() {
        for p in parameters() { p.requiresGrad = false; p.zeroGrad() }
    }

    /// Lets gradients reach every parameter again (`requiresGrad = true`).
    public func unfreeze() {
        for p in parameters() { p.requiresGrad = true }
    }

    /// Whether no parameter receives gradients.
    public var isFrozen: Bool { parameters().allSatisfy { !$0.requiresGrad } }

    /// Clears the gradient of every parameter.
    public func zeroGrad() {
        for p in parameters() { p.zeroGrad() }
    }

    /// Used by subclasses' `copy()`: gives the copy this module's training mode.
    public func copyMode(to other: Module) {
        other.setTraining(isTraining)
    }
}

/// A deep copy of `module` with its static type (see `Module.copy()`), e.g. a BYOL
/// target network: `let target = deepCopy(online)`.
public func deepCopy<M: Module>(_ module: M) -> M {
    guard let copy = module.copy() as? M else {
        preconditionFailure("\(type(of: module)).copy() returned a \(type(of: module.copy()))")
    }
    return copy
}

/// A fresh parameter tensor with the same shape and values (no gradient, no graph), and
/// the same `requiresGrad` flag.
func cloneTensor(_ t: Tensor) -> Tensor {
    Tensor(shape: t.shape, data: t.data, requiresGrad: t.requiresGrad)
}

extension Module: CustomStringConvertible {
    /// The module's `summary`, e.g. `Linear(64, 256)`.
    public var description: String { summary }
}
