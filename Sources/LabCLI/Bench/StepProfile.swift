import Foundation
import RunSupport

/// The phases of a training step, in order.
enum StepPhase: Int, CaseIterable {
    case forward, loss, backward, optimizer

    var label: String {
        switch self {
        case .forward: return "forward (network, both views)"
        case .loss: return "loss (forward)"
        case .backward: return "backward (network and loss)"
        case .optimizer: return "optimiser step"
        }
    }
}

/// What `selfsup bench --profile NAME` prints: one step's time by op kind (exclusive, so
/// the rows add up) and by phase, per step, from `steps` profiled steps.
struct StepProfile {
    var steps: Int
    var totalSeconds: Double
    var ops: OpProfileReport
    var phaseSeconds: [Double]

    /// The table, one row per kind that took any time, largest first, then the rest of the
    /// step (what no kernel region covers: building tensors and closures, layer glue).
    func lines(name: String) -> [String] {
        let perStep = 1e3 / Double(steps)
        let totalMs = totalSeconds * perStep
        func row(_ label: String, _ ms: Double, _ calls: String, _ extra: String) -> String {
            label.padding(toLength: 34, withPad: " ", startingAt: 0)
                + String(format: "%9.3f ms %6.1f%%", ms, totalMs > 0 ? 100 * ms / totalMs : 0)
                + calls.leftPadded(to: 9) + (extra.isEmpty ? "" : "  " + extra)
        }
        var out = ["# profile \(name): \(steps) steps, \(String(format: "%.3f", totalMs)) ms per step (wall, profiling on)",
                   "by op kind".padding(toLength: 34, withPad: " ", startingAt: 0) + "  ms/step   share    calls"]
        let kinds = OpKind.allCases.filter { ops.calls[$0.rawValue] > 0 }
            .sorted { ops.seconds[$0.rawValue] > ops.seconds[$1.rawValue] }
        for kind in kinds {
            let s = ops.seconds[kind.rawValue]
            let flops = ops.flops[kind.rawValue]
            let rate = flops > 0 && s > 0 ? String(format: "%.1f GFLOP/s (%.3f GFLOP/step)", flops / s / 1e9, flops / Double(steps) / 1e9) : ""
            out.append(row(kind.label, s * perStep, String(ops.calls[kind.rawValue] / steps), rate))
        }
        out.append(row("rest (tensor and closure making, glue)", (totalSeconds - ops.attributedSeconds) * perStep, "", ""))
        out.append("by phase")
        for phase in StepPhase.allCases {
            out.append(row(phase.label, phaseSeconds[phase.rawValue] * perStep, "", ""))
        }
        out.append(String(format: "tensors created: %d per step, %.1f MB of elements",
                          ops.tensorsCreated / steps, Double(ops.elementsCreated) * 4 / Double(steps) / 1e6))
        return out
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
