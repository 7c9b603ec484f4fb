import Foundation
import XCTest
import LabScript
@testable import LabBuiltins

/// Every count a builtin takes (seeds, epochs, draws, k, iterations, steps, sizes of data
/// sets, …) is bounded at the argument, before the builtin allocates or runs anything:
/// `compare(…, seeds: 1000000000)` once built an 8 GB array of seeds and aborted.
///
/// The registry is walked, so a new parameter that looks like a count (a whole-number
/// default, or a count's name) must be declared with `Parameter.count(…, in:)` or listed
/// below with the reason it needs no bound of its own.
final class CountArgumentTests: XCTestCase {
    /// Parameters with whole-number defaults that are not declared counts, and why.
    static let notDeclared: [String: String] = [
        "axis": "an axis index, checked against the tensor's rank",
        "axis0": "an axis index, checked against the tensor's rank",
        "axis1": "an axis index, checked against the tensor's rank",
        "start_axis": "an axis index, checked against the tensor's rank",
        "layer": "an index into a model's layers, checked against their number",
        "language_seed": "a seed: any whole number, it sizes nothing",
        "seed": "a seed: any whole number, it sizes nothing",
        "step": "range's step: ranges are lazy, nothing is allocated",
        "features": "a layer size: read through count() (capped at BoundArguments.maxCount), its weights checked before allocation",
        "hidden": "a layer size: read through count() or bounded by the weight check before allocation",
        "heads": "a layer size: read through count(), and must divide dim",
        "in_channels": "a layer size: read through count(), its weights checked before allocation",
        "in_features": "a layer size: read through count(), its weights checked before allocation",
        "out_features": "a layer size: read through count(), its weights checked before allocation",
        "kernel_size": "a kernel side: read through count(), its weights or patches checked before allocation",
        "stride": "a stride: read through count(); a larger stride makes less",
        "padding": "a padding: read through count(), the padded tensor checked before allocation",
        "image_size": "an image side: read through count(), the images checked before allocation",
        "size": "an image side: read through count() or int(), the images checked before allocation (checkShape)",
        "degrees": "an angle, a real number",
        "probability": "a probability, a real number in [0, 1]",
        "seed(n)": "a seed: any whole number ≥ 0, it sizes nothing",
        "embedding(length)": "learned positions: the table they size is bounded by the weight check before allocation",
        "alpha": "a real number", "c": "a real number", "t": "a real number", "nu": "a real number",
        "mu": "a real number", "lambda": "a real number", "momentum": "a real number", "value": "a real number",
        "weight_decay": "a real number", "std": "a real number", "eps": "a real number",
    ]

    /// Names that mean "how many" wherever they appear, with or without a default.
    static let countNames: Set<String> = ["n", "k", "count", "length", "classes", "steps", "epochs", "seeds", "draws",
                                          "iterations", "bins", "batch_size", "warmup_epochs", "reference_steps"]

    func testEveryCountLikeParameterIsDeclaredOrExplained() {
        let session = BuiltinContext(output: BufferOutputSink())
        var undeclared: [String] = []
        for entry in session.registry.functions {
            for parameter in entry.parameters where parameter.countRange == nil && !parameter.isVariadic {
                var wholeDefault = false
                if case .number(let value)? = parameter.defaultValue, value == value.rounded() { wholeDefault = true }
                let looksLikeACount = wholeDefault || CountArgumentTests.countNames.contains(parameter.name)
                let explained = CountArgumentTests.notDeclared[parameter.name] ?? CountArgumentTests.notDeclared["\(entry.name)(\(parameter.name))"]
                if looksLikeACount && explained == nil {
                    undeclared.append("\(entry.name)(\(parameter.name))")
                }
            }
        }
        // The language builtins (range, round) are bounded by the interpreter itself.
        undeclared.removeAll { $0.hasPrefix("range(") || $0.hasPrefix("round(") }
        XCTAssertEqual(undeclared, [], "count-like parameters without a declared range or a reason")
    }

    /// Each declared count, given a huge value, is refused at the argument before the
    /// builtin runs: its other arguments are all nil, so had the body run first it would
    /// have failed on them instead.
    func testHugeCountsAreRefusedAtTheArgumentBeforeTheBuiltinRuns() {
        let session = BuiltinContext(output: BufferOutputSink())
        var checked = 0
        for entry in session.registry.functions {
            for parameter in entry.parameters {
                guard let range = parameter.countRange else { continue }
                if let defaultValue = parameter.defaultValue, case .number(let value) = defaultValue {
                    XCTAssertTrue(range.contains(Int(value)), "\(entry.name)(\(parameter.name)): default \(value) outside \(range)")
                }
                for huge in ["1000000000", "1e18", "-1", "2.5"] {
                    let others = entry.parameters.filter { $0.isRequired && $0.name != parameter.name }.map { "\($0.name): nil, " }
                    let argument = "\(parameter.name): \(huge)"
                    let text = "r = \(entry.name)(" + others.joined() + argument + ")\n"
                    let column = text.distance(from: text.startIndex, to: text.range(of: argument)!.lowerBound) + 1
                    guard case .failure(let diagnostics) = session.run(text, name: "count.lab") else {
                        XCTFail("\(text): ran"); continue
                    }
                    let expected = "\(entry.name): argument '\(parameter.name)' must be a whole number from \(range.lowerBound) to \(range.upperBound)"
                    XCTAssertTrue(diagnostics.count == 1 && diagnostics[0].message.hasPrefix(expected), "\(text): \(diagnostics.map(\.message))")
                    XCTAssertEqual(diagnostics.first?.line, 1, text)
                    XCTAssertEqual(diagnostics.first?.column, column, text)
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    /// The reported call, with a real data set, and a list of seeds too long.
    func testCompareRefusesAHugeNumberOfSeeds() {
        let session = BuiltinContext(output: BufferOutputSink())
        let calls = [("compare(data: d, seeds: 1000000000)", "argument 'seeds' must be a whole number from 1 to 100"),
                     ("compare(data: d, seeds: list(range(1000)))", "at most 100 seeds, got 1000"),
                     ("compare(data: d, epochs: 1e9)", "argument 'epochs' must be a whole number from 1 to 10000"),
                     ("compare(data: d, draws: 1e12)", "argument 'draws' must be a whole number from 1 to 20")]
        for (call, message) in calls {
            guard case .failure(let diagnostics) = session.run("d = blobs(count: 40)\nr = \(call)\n", name: "compare.lab") else {
                XCTFail("\(call) ran"); continue
            }
            XCTAssertEqual(diagnostics.first?.line, 2, call)
            XCTAssertEqual(diagnostics.first?.kind, .runtime(.argument), "\(call): \(diagnostics.map(\.message))")
            XCTAssertTrue(diagnostics.first?.message.contains(message) == true, "\(call): \(diagnostics.map(\.message))")
        }
    }
}
