import Foundation
import LabScript

/// The one runner of `.lab` fixtures (jlox's convention), shared by the test targets that
/// pin script behaviour with them. A fixture is a script whose comments say what it does:
///
///     print(1 + 2)                  # expect: 3
///     print(nope)                   # expect error: 2:7 undefined name 'nope'
///
/// `# expect: TEXT` lines give the printed output, line by line, in order.
/// `# expect error: LINE:COL TEXT` lines give the diagnostics, in order: each must start
/// at LINE:COL and its message must contain TEXT. A fixture without expected errors must
/// run without any.
///
/// Each test target says how to run a script (which builtins, which limits); this type
/// finds the fixtures, reads their expectations and compares.
public struct FixtureRunner {
    /// Runs one script named `name`: what it printed, and how the run ended.
    public typealias Run = (_ text: String, _ name: String) -> (output: String, result: RunResult)

    public let directory: URL
    public let run: Run

    public init(directory: URL, run: @escaping Run) {
        self.directory = directory
        self.run = run
    }

    /// What a fixture's comments expect.
    public struct Expectation: Equatable {
        public var output: [String] = []
        public var errors: [ExpectedError] = []
    }

    public struct ExpectedError: Equatable {
        public var line: Int
        public var column: Int
        public var text: String
    }

    /// Every `.lab` file under `directory` (any depth), sorted by path.
    public func fixturePaths() -> [URL] {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        var paths: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if url.pathExtension == "lab" { paths.append(url) }
        }
        return paths.sorted { $0.path < $1.path }
    }

    public static func expectations(in text: String) -> Expectation {
        var expectation = Expectation()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let range = line.range(of: "# expect error: ") {
                let rest = line[range.upperBound...]
                let parts = rest.split(separator: " ", maxSplits: 1)
                let position = parts.first?.split(separator: ":").compactMap { Int($0) } ?? []
                if position.count == 2 {
                    expectation.errors.append(ExpectedError(line: position[0], column: position[1],
                                                            text: parts.count > 1 ? String(parts[1]) : ""))
                }
            } else if let range = line.range(of: "# expect: ") {
                expectation.output.append(String(line[range.upperBound...]))
            } else if line.hasSuffix("# expect:") {
                expectation.output.append("")
            }
        }
        return expectation
    }

    /// Runs one fixture; returns a list of failure descriptions (empty if it passed).
    public func check(_ url: URL) -> [String] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return ["cannot read"] }
        let expected = FixtureRunner.expectations(in: text)
        let (printed, result) = run(text, url.lastPathComponent)
        let diagnostics: [Diagnostic]
        switch result {
        case .success: diagnostics = []
        case .failure(let found): diagnostics = found
        case .incomplete: return ["incomplete"]
        }
        var failures: [String] = []
        var output = printed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if output.last == "" { output.removeLast() }
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

    /// Runs every fixture: how many ran, and the failures of each one that failed, named
    /// by its path under `directory`.
    public func checkAll() -> (count: Int, failed: [(name: String, failures: [String])]) {
        let paths = fixturePaths()
        var failed: [(name: String, failures: [String])] = []
        for url in paths {
            let failures = check(url)
            if !failures.isEmpty {
                let name = url.path.hasPrefix(directory.path) ? String(url.path.dropFirst(directory.path.count + 1)) : url.lastPathComponent
                failed.append((name, failures))
            }
        }
        return (paths.count, failed)
    }
}
