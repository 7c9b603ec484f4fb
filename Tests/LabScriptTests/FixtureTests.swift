import Foundation
import LabFixtures
import XCTest
@testable import LabScript

/// Runs every `Fixtures/**/*.lab` script with the language's own builtins and checks it
/// against its `# expect:` and `# expect error:` comments (see `FixtureRunner`).
final class FixtureTests: XCTestCase {
    static var runner: FixtureRunner {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        return FixtureRunner(directory: directory) { text, name in
            let sink = BufferOutputSink()
            var limits = InterpreterLimits()
            limits.maxSteps = 2_000_000
            let result = Interpreter(output: sink, limits: limits).run(text, name: name)
            return (sink.text, result)
        }
    }

    /// Every fixture file (the fuzz tests mutate them).
    static func fixturePaths() -> [URL] { runner.fixturePaths() }

    func testFixtures() {
        let (count, failed) = FixtureTests.runner.checkAll()
        XCTAssertGreaterThanOrEqual(count, 110, "fixture count")
        for (name, failures) in failed { XCTFail("\(name):\n" + failures.joined(separator: "\n")) }
        print("LabScript fixtures: \(count) run, \(failed.count) failed")
    }
}
