import Foundation
import XCTest
import LabScript
@testable import LabBuiltins

/// Runs every `Fixtures/**/*.lab` script in a fresh session with all builtins and checks
/// it against its comments (the LabScriptTests convention):
///
///     print(sum(ones(2, 3)))        # expect: 6
///     ones(2) @ ones(3)             # expect error: 2:1 matmul: shapes [2] and [3]
///
/// `# expect: TEXT` lines give the printed output, line by line, in order.
/// `# expect error: LINE:COL TEXT` lines give the diagnostics, in order: each must start at
/// LINE:COL and its message must contain TEXT. A fixture without expected errors must run
/// without any.
final class FixtureTests: XCTestCase {
    static var fixturesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    static func fixturePaths() -> [URL] {
        let enumerator = FileManager.default.enumerator(at: fixturesDirectory, includingPropertiesForKeys: nil)
        var paths: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if url.pathExtension == "lab" { paths.append(url) }
        }
        return paths.sorted { $0.path < $1.path }
    }

    struct Expectation {
        var output: [String] = []
        var errors: [(line: Int, column: Int, text: String)] = []
    }

    static func expectations(in text: String) -> Expectation {
        var expectation = Expectation()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let range = line.range(of: "# expect error: ") {
                let rest = line[range.upperBound...]
                let parts = rest.split(separator: " ", maxSplits: 1)
                let position = parts.first?.split(separator: ":").compactMap { Int($0) } ?? []
                if position.count == 2 {
                    expectation.errors.append((position[0], position[1], parts.count > 1 ? String(parts[1]) : ""))
                }
            } else if let range = line.range(of: "# expect: ") {
                expectation.output.append(String(line[range.upperBound...]))
            } else if line.hasSuffix("# expect:") {
                expectation.output.append("")
            }
        }
        return expectation
    }

    /// Runs one script in a fresh session; returns its output lines and diagnostics.
    static func run(_ text: String, name: String) -> (output: [String], diagnostics: [Diagnostic]) {
        let sink = BufferOutputSink()
        var limits = InterpreterLimits()
        limits.maxSteps = 2_000_000
        limits.maxElements = 5_000_000
        let session = BuiltinContext(output: sink, limits: limits)
        let diagnostics: [Diagnostic]
        switch session.run(text, name: name) {
        case .success: diagnostics = []
        case .failure(let found): diagnostics = found
        case .incomplete: diagnostics = []
        }
        var output = sink.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if output.last == "" { output.removeLast() }
        return (output, diagnostics)
    }

    /// Runs one fixture; returns a list of failure descriptions (empty if it passed).
    static func check(_ url: URL) -> [String] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return ["cannot read"] }
        let expected = expectations(in: text)
        let (output, diagnostics) = run(text, name: url.lastPathComponent)
        var failures: [String] = []
        if output != expected.output {
            failures.append("output:\n" + output.joined(separator: "\n") + "\nexpected:\n" + expected.output.joined(separator: "\n"))
        }
        let rendered = diagnostics.map { DiagnosticRenderer().render($0) }.joined(separator: "\n")
        if diagnostics.count != expected.errors.count {
            failures.append("expected \(expected.errors.count) errors, got \(diagnostics.count):\n\(rendered)")
        } else {
            for (diagnostic, error) in zip(diagnostics, expected.errors) {
                if diagnostic.line != error.line || diagnostic.column != error.column || !diagnostic.message.contains(error.text) {
                    failures.append("expected error \(error.line):\(error.column) \(error.text), got:\n\(rendered)")
                }
            }
        }
        return failures
    }

    func testFixtures() {
        let paths = FixtureTests.fixturePaths()
        XCTAssertGreaterThanOrEqual(paths.count, 60, "fixture count")
        var failed = 0
        for url in paths {
            let failures = FixtureTests.check(url)
            if !failures.isEmpty {
                failed += 1
                XCTFail("\(url.deletingLastPathComponent().lastPathComponent)/\(url.lastPathComponent):\n" + failures.joined(separator: "\n"))
            }
        }
        print("LabBuiltins fixtures: \(paths.count) run, \(failed) failed")
    }
}
