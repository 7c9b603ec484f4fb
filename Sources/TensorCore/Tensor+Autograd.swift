import RunSupport

/// Reverse-mode automatic differentiation, micrograd style: all graph bookkeeping lives here.
///
/// An op computes its output and, next to it, a closure that turns dL/d(output) into each
/// input's share, which it adds to the input's `grad` (`+=`, so a value used twice gets
/// the sum of both paths). `backward()` orders the graph topologically and runs those
/// closures from the loss back to the leaves, then releases the graph.

/// Runs `body` without recording the autodiff graph: results never require a gradient.
/// Use it for evaluation, optimiser updates, EMA targets and finite differences. Grad mode
/// is part of the run's context (`RunContext`, bound on the calling thread for the
/// duration of `body`), so no global mutable state.
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    try RunContext.with(gradEnabled: false, body)
}

/// Whether ops currently record the graph (false inside `withNoGrad`).
public var isGradEnabled: Bool { RunContext.isGradEnabled }

extension Tensor {
    /// The result of an op: a tensor that, when a gradient is wanted, remembers `parents`
    /// and the closure `backward(gradOutput)` that sends gradient to them (by calling
    /// `accumulateGrad` on each parent). Public so that other modules can define a fused
    /// primitive the same way TensorCore does; the closure must not capture the result.
    public static func result(shape: [Int], data: [Float], parents: [Tensor],
                       backward: @escaping (_ gradOutput: [Float]) -> Void) -> Tensor {
        let out = Tensor(shape: shape, data: data)
        if RunContext.isGradEnabled && parents.contains(where: \.requiresGrad) {
            out.requiresGrad = true
            out.parents = parents
            out.backwardFn = OpProfile.chargingBackward(backward)
        }
        return out
    }

    /// `grad += g` (or `grad = g` for the first contribution); ignored when no gradient is wanted.
    public func accumulateGrad(_ g: [Float]) {
        guard requiresGrad else { return }
        precondition(g.count == count, "accumulateGrad: gradient of \(g.count) elements for shape \(shape)")
        if let grad {
            addInPlace(&grad.data, g)
        } else {
            grad = Tensor(shape: shape, data: g)
        }
    }

    /// Fast path for the fused kernels (linear, conv2d, matmul): the same `grad += g`, but
    /// `body` writes the gradient straight into the buffer, so a BLAS call can accumulate
    /// without a temporary. `body(pointer, beta)` must compute `grad = contribution + beta * grad`,
    /// with `beta` 0 for a fresh (uninitialised) buffer and 1 when a gradient is already there.
    func accumulateGrad(in body: (_ grad: UnsafeMutablePointer<Float>, _ beta: Float) -> Void) {
        guard requiresGrad else { return }
        if let grad {
            grad.data.withUnsafeMutableBufferPointer { body($0.baseAddress!, 1) }
        } else {
            let n = count
            let g = [Float](unsafeUninitializedCapacity: n) { buf, filled in
                if n > 0 { body(buf.baseAddress!, 0) }
                filled = n
            }
            grad = Tensor(shape: shape, data: g)
        }
    }

    /// Back-propagates from this scalar: afterwards every tensor it depends on that
    /// requires a gradient holds dself/dtensor in `grad` (added to what was there).
    ///
    /// Topological sort (depth-first, iterative so deep graphs cannot overflow the stack),
    /// then a reversed walk calling each node's backward closure. Only leaves keep their
    /// `grad` (as in PyTorch). The graph is released afterwards: intermediate results keep
    /// their values but no longer link to their inputs, so a second `backward()` through
    /// the same graph reaches only them.
    public func backward() throws {
        guard count == 1 else {
            throw TensorError.argument(
                op: "backward", template: "needs a scalar (one element), got shape {shape}", values: ["shape": formatShape(shape)])
        }
        guard requiresGrad else {
            throw TensorError.argument(
                op: "backward", template: "the tensor does not depend on anything that requires a gradient", values: [:])
        }
        OpProfile.measure(.graph) {
            let order = topologicalOrder()
            accumulateGrad([1])
            for node in order.reversed() {
                if let backwardFn = node.backwardFn, let g = node.grad {
                    // An intermediate result's gradient is only needed to pass on (as in
                    // PyTorch, only leaves keep theirs); dropping it frees memory early.
                    node.grad = nil
                    backwardFn(g.data)
                }
            }
            for node in order {
                node.backwardFn = nil
                node.parents = []
            }
        }
    }

    /// Every tensor this one depends on (through nodes that require a gradient), each after
    /// all of its parents.
    func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(node: Tensor, parentsDone: Bool)] = [(self, false)]
        while let (node, parentsDone) = stack.popLast() {
            if parentsDone { order.append(node); continue }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for p in node.parents where p.requiresGrad && !visited.contains(ObjectIdentifier(p)) {
                stack.append((p, false))
            }
        }
        return order
    }

    /// The same values, cut from the graph: no gradient flows back through the result
    /// (stop-gradient, as SimSiam and BYOL need). The storage is shared copy-on-write.
    public func detach() -> Tensor {
        Tensor(shape: shape, data: data)
    }

    /// Forgets the accumulated gradient (`grad = nil`), as before each optimiser step.
    public func zeroGrad() {
        grad = nil
    }
}
