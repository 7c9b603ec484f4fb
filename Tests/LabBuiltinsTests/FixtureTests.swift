import Foundation
import LabFixtures
import LabScript
import XCTest
@testable import LabBuiltins

/// Runs every `Fixtures/**/*.lab` script in a fresh session with all builtins and checks
/// it against its comments (the LabScriptTests convention, `FixtureRunner`):
///
///     print(sum(ones(2, 3)))        # expect: 6
///     ones(2) @ ones(3)             # expect error: 2:1 matmul: shapes [2] and [3]
final class FixtureTests: XCTestCase {
    func testFixtures() {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let runner = FixtureRunner(directory: directory) { text, name in
            let sink = BufferOutputSink()
            var limits = InterpreterLimits()
            limits.maxSteps = 2_000_000
            limits.maxElements = 5_000_000
            let result = BuiltinContext(output: sink, limits: limits).run(text, name: name)
            return (sink.text, result)
        }
        let (count, failed) = runner.checkAll()
        XCTAssertGreaterThanOrEqual(count, 60, "fixture count")
        for (name, failures) in failed { XCTFail("\(name):\n" + failures.joined(separator: "\n")) }
        print("LabBuiltins fixtures: \(count) run, \(failed.count) failed")
    }
}
