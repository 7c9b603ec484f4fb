import LabScript
import LabSupport
import TensorCore

/// Indexing a tensor like NumPy, one component per axis from the left:
/// an integer picks one index and drops the axis (`x[0]`, `x[-1]`), a slice keeps it
/// (`x[:, 1:3]`, `x[::2]`), and a list or tensor of integers picks those indices
/// (`x[[0, 2]]`). Gradients flow back through all three. Assignment `x[i, j] = v` writes
/// in place into a tensor that is not part of a gradient computation.
extension TensorValue {
    public func index(_ components: [IndexComponent], context: CallContext) throws -> Value? {
        state.wrap(try TensorValue.select(tensor, components, context: context))
    }

    static func select(_ tensor: Tensor, _ components: [IndexComponent], context: CallContext) throws -> Tensor {
        guard components.count <= tensor.rank else {
            throw RuntimeError(.index, Messages.text("too many indices ({count}) for a tensor of shape {shape}",
                                                    ["count": String(components.count), "shape": formatShape(tensor.shape)]),
                               at: context.range)
        }
        var result = tensor
        var axis = 0
        for (written, component) in components.enumerated() {
            let size = result.shape[axis]
            switch component {
            case .integer(let position):
                guard let resolved = IndexComponent.resolve(position, count: size) else {
                    throw RuntimeError(.index, Messages.text("index {index} is out of range for axis {axis} of size {size} (tensor shape {shape})",
                                                            ["index": String(position), "axis": String(written), "size": String(size),
                                                             "shape": formatShape(tensor.shape)]), at: context.range)
                }
                result = try bridged(context) { try TensorCore.select(result, axis: axis, index: resolved) }
            case .slice(let start, let stop, let step):
                let step = step ?? 1
                guard step > 0 else {
                    throw RuntimeError(.index, Messages.text("tensor slices need a positive step, got {step}", ["step": String(step)]), at: context.range)
                }
                result = try bridged(context) { try slice(result, axis: axis, SliceRange(start, stop, step: step)) }
                axis += 1
            case .value(let value):
                let indices = try TensorConversion.integers(from: value, context: context, what: "index")
                var resolvedIndices: [Int] = []
                for position in indices {
                    guard let resolved = IndexComponent.resolve(position, count: size) else {
                        throw RuntimeError(.index, Messages.text("index {index} is out of range for axis {axis} of size {size} (tensor shape {shape})",
                                                            ["index": String(position), "axis": String(written), "size": String(size),
                                                             "shape": formatShape(tensor.shape)]), at: context.range)
                    }
                    resolvedIndices.append(resolved)
                }
                try context.checkShape([resolvedIndices.count, result.count / max(size, 1)], operation: "index")
                result = try bridged(context) { try indexSelect(result, axis: axis, indices: resolvedIndices) }
                axis += 1
            }
        }
        return result
    }

    /// `x[components] = value`: the selected elements take `value` (a number, or a tensor
    /// broadcast to the selection's shape).
    public func setIndex(_ components: [IndexComponent], to value: Value, context: CallContext) throws -> Bool {
        if tensor.requiresGrad && isGradEnabled {
            throw context.error(Messages.text("cannot assign into a tensor that requires grad (it would corrupt the gradient); assign inside no_grad(fn() { … }) or into x.detach()"))
        }
        guard tensor.count <= 1 << 24 else {
            throw context.error(Messages.text("index assignment supports tensors of up to {limit} elements, this one has {count}",
                                              ["limit": String(1 << 24), "count": String(tensor.count)]))
        }
        // Select from a tensor of element positions the same way, to learn which
        // elements the components address.
        let positions = Tensor(shape: tensor.shape, data: (0..<tensor.count).map(Float.init))
        let selected = try withNoGrad { try TensorValue.select(positions, components, context: context) }
        let source = try TensorConversion.tensor(from: value, context: context, what: "index assignment")
        let values = try bridged(context) { try withNoGrad { try expand(source, to: selected.shape) } }
        for (position, newValue) in zip(selected.data, values.data) {
            tensor.data[Int(position)] = newValue
        }
        return true
    }
}
