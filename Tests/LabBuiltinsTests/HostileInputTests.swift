import Foundation
import XCTest
import LabScript
@testable import LabBuiltins

/// Script input must never crash the program: every builtin, called with wrong, empty,
/// huge, negative and mistyped arguments, ends in a value or a diagnostic that points into
/// the script. (A trap would kill the test process, failing the suite.)
final class HostileInputTests: XCTestCase {
    static let arguments = [
        "", "nil", "-1", "0", "2.5", "1e12", "inf", "-inf", "true", "\"/nonexistent-selfsup/x\"", "[]", "[[1, 2], [3]]",
        "[0, 1]", "ones(0)", "ones(2, 3)", "randn(4, 2)", "ones(1, 3, 8, 8)", "mlp([2, 3])", "blobs(count: 8)",
        "horizontal_flip()", "fn(x) { return x }",
    ]

    func testEveryBuiltinSurvivesHostileArguments() {
        var limits = InterpreterLimits()
        limits.maxElements = 200_000
        limits.maxSteps = 10_000
        limits.maxSeconds = 0.5
        let session = BuiltinContext(output: BufferOutputSink(), limits: limits)
        var runs = 0, failures = 0
        for entry in session.registry.functions where !["save", "load", "export_pytorch"].contains(entry.name) {
            var calls = HostileInputTests.arguments.map { "\(entry.name)(\($0))" }
            for first in ["ones(2, 3)", "2", "mlp([2, 3])", "blobs(count: 8)"] {
                calls += HostileInputTests.arguments.map { "\(entry.name)(\(first), \($0))" }
            }
            calls.append("\(entry.name)(ones(2, 2), ones(2, 2), ones(2, 2), ones(2, 2))")
            for call in calls {
                let text = "r = \(call)\n"
                if ProcessInfo.processInfo.environment["HOSTILE_TRACE"] != nil { FileHandle.standardError.write(Data((call + "\n").utf8)) }
                runs += 1
                if case .failure(let diagnostics) = session.run(text, name: "hostile.lab") {
                    failures += 1
                    for diagnostic in diagnostics {
                        XCTAssertEqual(diagnostic.line, 1, "\(call): \(diagnostic.message)")
                        XCTAssertFalse(diagnostic.message.isEmpty, call)
                    }
                }
            }
        }
        XCTAssertGreaterThan(runs, 5000)
        XCTAssertGreaterThan(failures, runs / 2, "most hostile calls are errors")
        print("hostile builtin calls: \(runs) run, \(failures) ended in a diagnostic, none crashed")
    }

    /// Every named parameter of every builtin set to a hostile value, after plausible
    /// leading arguments.
    func testEveryNamedParameterSurvivesHostileValues() {
        var limits = InterpreterLimits()
        limits.maxElements = 200_000
        limits.maxSteps = 10_000
        limits.maxSeconds = 0.5
        let session = BuiltinContext(output: BufferOutputSink(), limits: limits)
        var runs = 0
        for entry in session.registry.functions where !["save", "load", "export_pytorch"].contains(entry.name) {
            for parameter in entry.parameters where !parameter.isVariadic {
                for leading in ["", "ones(2, 3), ", "mlp([2, 3]), blobs(count: 8), ", "blobs(count: 8), ", "ones(2, 3, 8, 8), ", "horizontal_flip(), ones(2, 3, 8, 8), "] {
                    for value in ["-1", "1e12", "0", "\"x\"", "nil", "[1e12, 1e12]", "-inf"] {
                        let call = "\(entry.name)(\(leading)\(parameter.name): \(value))"
                        if ProcessInfo.processInfo.environment["HOSTILE_TRACE"] != nil { FileHandle.standardError.write(Data((call + "\n").utf8)) }
                        runs += 1
                        let start = ContinuousClock.now
                        if case .failure(let diagnostics) = session.run("r = \(call)\n", name: "hostile.lab") {
                            XCTAssertEqual(diagnostics.first?.line, 1, call)
                        }
                        if ProcessInfo.processInfo.environment["HOSTILE_TRACE"] != nil, ContinuousClock.now - start > .milliseconds(100) {
                            FileHandle.standardError.write(Data("SLOW \(ContinuousClock.now - start) \(call)\n".utf8))
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(runs, 10_000)
        print("hostile named arguments: \(runs) calls, none crashed")
    }

    func testElementLimitIsAnErrorNotAnAllocation() {
        var limits = InterpreterLimits()
        limits.maxElements = 1_000
        let session = BuiltinContext(output: BufferOutputSink(), limits: limits)
        for script in ["zeros(40, 40)", "ones(20, 20) @ ones(20, 100)", "outer(arange(100), arange(100))",
                       "ones(1, 40) + ones(40, 1)", "tensor(range(2000))", "randn(1001)", "eye(40)",
                       "pad(ones(10, 10), 20)", "conv2d(ones(1, 1, 30, 30), ones(4, 1, 3, 3), padding: 1)",
                       "mlp([100, 100])", "shapes(count: 10)"] {
            guard case .failure(let diagnostics) = session.run("x = \(script)", name: "limit.lab") else {
                XCTFail("\(script) should exceed the limit of 1000 elements")
                continue
            }
            XCTAssertEqual(diagnostics.first?.kind, .runtime(.limit), "\(script): \(diagnostics.first?.message ?? "")")
        }
    }
}
