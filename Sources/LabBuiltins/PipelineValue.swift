import LabScript
import LabSupport
import SelfSupervised
import TensorCore

/// An augmentation pipeline as a script value: one pipeline per view (the two are the
/// same for symmetric methods). A single augmentation (`horizontal_flip()`) is a
/// pipeline of one step; `compose(a, b, …)` chains them.
public final class PipelineValue: HostObject {
    public let pipelines: ViewPipelines
    let name: String

    init(_ pipelines: ViewPipelines, name: String) {
        self.pipelines = pipelines
        self.name = name
    }

    public var typeName: String { "pipeline" }

    public var scriptDescription: String {
        func steps(_ pipeline: Pipeline) -> String {
            // Steps that are never applied (probability 0) are left out.
            let active = pipeline.steps.filter { $0.probability > 0 }
            return active.isEmpty ? "identity" : active.map { step in
                let name = String(describing: type(of: step))
                return step.probability >= 1 ? name : "\(name)(p \(step.probability))"
            }.joined(separator: " → ")
        }
        let first = steps(pipelines.first), second = steps(pipelines.second)
        if first == second { return "pipeline \(name): \(first)" }
        return "pipeline \(name):\n  view 1: \(first)\n  view 2: \(second)"
    }

    public var memberNames: [String] { ["name", "steps"] }

    public func field(_ name: String, context: CallContext) throws -> Value? {
        switch name {
        case "name": return .string(self.name)
        case "steps": return .int(pipelines.first.steps.count)
        default: return nil
        }
    }

    /// Checks that augmenting `batch` with `pipeline` stays within the element limit.
    static func checkOutput(_ pipeline: Pipeline, _ batch: Tensor, context: CallContext) throws {
        guard batch.rank == 4 else {
            throw context.error(Messages.text("augment: expected an image batch [N, C, H, W], got {shape}", ["shape": formatShape(batch.shape)]))
        }
        let size = pipeline.outputSize(height: batch.shape[2], width: batch.shape[3])
        try context.checkShape([batch.shape[0], batch.shape[1], max(size.height, 0), max(size.width, 0)], operation: "augment")
    }
}
