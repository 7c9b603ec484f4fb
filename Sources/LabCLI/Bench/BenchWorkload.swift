import Foundation
import LabSupport
import TensorCore

/// One line of benchmark output: `name  value unit  note`.
struct BenchLine {
    var name: String
    var value: Double
    var unit: String
    var note: String = ""

    var formatted: String {
        let padded = name.padding(toLength: Swift.max(name.count, 24), withPad: " ", startingAt: 0)
        let v = value >= 100 ? String(format: "%.1f", value) : String(format: "%.3f", value)
        return "\(padded)  \(v) \(unit)" + (note.isEmpty ? "" : "  \(note)")
    }

    /// A training step's line: wall ms per step, with the CPU ms per step as its note.
    static func step(_ name: String, _ ms: (wall: Double, cpu: Double)) -> BenchLine {
        BenchLine(name: name, value: ms.wall, unit: "ms", note: String(format: "CPU %.3f ms/step", ms.cpu))
    }
}

/// A benchmark workload: a name (what `--only` matches) and a function that runs it and
/// reports its lines. Adding a workload (mlp-simclr, cnn-barlow, …) is one entry in
/// `BenchWorkload.all`.
struct BenchWorkload: Sendable {
    var name: String
    var summary: String
    var run: @Sendable (_ quick: Bool) throws -> [BenchLine]
    /// For training-step workloads: a profiled run (`selfsup bench --profile NAME`).
    var profile: (@Sendable (_ quick: Bool) throws -> StepProfile)? = nil

    /// Every workload, in the order `selfsup bench` runs them.
    static let all: [BenchWorkload] = [.sgemm, .elementwiseOverhead, .mlpSimCLR, .cnnBarlow, .augmentSimCLR, .scriptBarlow, .digitsEpoch]
}

/// Seconds per call of `body`: after a warm-up call, runs batches of calls until
/// `minTime` has passed, `repeats` times, and keeps the fastest batch (the least
/// disturbed by other processes).
func secondsPerCall(minTime: Double = 0.2, repeats: Int = 3, _ body: () throws -> Void) rethrows -> Double {
    try body()
    let clock = ContinuousClock()
    // Calibrate how many calls fill minTime.
    var calls = 1
    while true {
        let elapsed = try clock.measure { for _ in 0..<calls { try body() } }
        if elapsed.seconds >= minTime / 4 || calls >= 1 << 24 {
            calls = Swift.max(1, Int(Double(calls) * minTime / Swift.max(elapsed.seconds, 1e-9)))
            break
        }
        calls *= 4
    }
    var best = Double.infinity
    for _ in 0..<repeats {
        let elapsed = try clock.measure { for _ in 0..<calls { try body() } }
        best = Swift.min(best, elapsed.seconds / Double(calls))
    }
    return best
}

/// Seconds per call of `first` and of `second`, measured in alternating short batches
/// (so both see the same machine load), keeping each one's fastest batch.
func pairedSecondsPerCall(batchTime: Double = 0.05, rounds: Int = 8,
                          _ first: () throws -> Void, _ second: () throws -> Void) rethrows -> (Double, Double) {
    let clock = ContinuousClock()
    try first(); try second()
    let once = try clock.measure { try first() }.seconds
    let calls = Swift.max(1, Int(batchTime / Swift.max(once, 1e-9)))
    var best = (Double.infinity, Double.infinity)
    for _ in 0..<rounds {
        best.0 = Swift.min(best.0, try clock.measure { for _ in 0..<calls { try first() } }.seconds / Double(calls))
        best.1 = Swift.min(best.1, try clock.measure { for _ in 0..<calls { try second() } }.seconds / Double(calls))
    }
    return best
}
