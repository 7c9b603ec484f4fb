import Foundation
import XCTest
import LabScript
@testable import LabBuiltins

/// The registry is the one source for dispatch, help, completion and docs: every entry
/// must be documented, every example must run, and the docs must list every builtin.
final class RegistryTests: XCTestCase {
    func testEveryEntryHasSummaryAndExample() {
        let session = BuiltinContext(output: BufferOutputSink())
        XCTAssertGreaterThan(session.registry.functions.count, 80)
        for entry in session.registry.functions {
            XCTAssertFalse(entry.summary.isEmpty, "\(entry.name) has no summary")
            XCTAssertFalse(entry.example.isEmpty, "\(entry.name) has no example")
            XCTAssertEqual(entry.name, entry.name.lowercased(), "\(entry.name) is not snake_case")
            XCTAssertFalse(entry.name.contains("-"), "\(entry.name) is not snake_case")
        }
    }

    func testEveryExampleRunsWithoutError() {
        let session = BuiltinContext(output: BufferOutputSink())
        for entry in session.registry.functions {
            // Each example in its own session, so examples cannot lean on each other.
            let sink = BufferOutputSink()
            let fresh = BuiltinContext(output: sink)
            if case .failure(let diagnostics) = fresh.run(entry.example, name: "example of \(entry.name)") {
                XCTFail("the example of \(entry.name) fails:\n" + DiagnosticRenderer().render(diagnostics))
            }
        }
    }

    /// Where an example line is `print(…)   # TEXT` and prints one line, it prints TEXT:
    /// the documentation's claims are checked, not just run.
    func testExampleCommentsMatchTheirOutput() {
        let session = BuiltinContext(output: BufferOutputSink())
        var checked = 0
        for entry in session.registry.functions {
            let sink = BufferOutputSink()
            let fresh = BuiltinContext(output: sink)
            var pending = ""
            for line in entry.example.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                pending += pending.isEmpty ? line : "\n" + line
                let reply = fresh.runLine(pending, name: "example of \(entry.name)")
                if case .incomplete = reply { continue }
                defer { pending = "" }
                let printed = sink.take()
                guard !pending.contains("\n"), pending.hasPrefix("print("), let marker = pending.range(of: "   # ") else { continue }
                let claimed = String(pending[marker.upperBound...])
                let lines = printed.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                guard lines.count == 1 else { continue }
                XCTAssertEqual(String(lines[0]), claimed, "example of \(entry.name): \(pending)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 60, "examples with a checked comment")
        print("example comments checked: \(checked)")
    }

    func testDocsMarkdownContainsEveryBuiltin() {
        let session = BuiltinContext(output: BufferOutputSink())
        let markdown = session.docsMarkdown()
        XCTAssertTrue(markdown.hasPrefix("# LabScript builtins"))
        for entry in session.registry.functions {
            XCTAssertTrue(markdown.contains("### `\(entry.name)`"), "docs lack a section for \(entry.name)")
            XCTAssertTrue(markdown.contains(entry.signature), "docs lack the signature of \(entry.name)")
        }
        for group in session.registry.groups {
            XCTAssertTrue(markdown.contains("## \(group.title)"), "docs lack the group \(group.title)")
        }
    }

    func testDispatchHelpAndCompletionReadTheRegistry() {
        let session = BuiltinContext(output: BufferOutputSink())
        for entry in session.registry.functions {
            guard case .native(let installed)? = session.interpreter.builtins.lookup(entry.name) else {
                return XCTFail("\(entry.name) is not installed in the interpreter")
            }
            XCTAssertEqual(installed.signature, entry.signature)
            // Help wraps a long signature to the display's width: compare the words.
            func words(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            XCTAssertTrue(words(session.help(entry.name)).hasPrefix(words(entry.signature)), "help of \(entry.name)")
        }
        // Language builtins are in the registry too, except where LabBuiltins extends them.
        XCTAssertEqual(session.registry.groupTitle(of: "print"), "Language")
        XCTAssertNotEqual(session.registry.groupTitle(of: "max"), "Language")
    }

    func testREPLEchoCommandsAndSeed() {
        let sink = BufferOutputSink()
        let session = BuiltinContext(output: sink)
        guard case .success(let echo) = session.runLine("item(sum(ones(3)))") else { return XCTFail("runLine failed") }
        XCTAssertEqual(echo, "3")
        guard case .success(nil) = session.runLine("x = 1") else { return XCTFail("an assignment echoes nothing") }
        guard case .incomplete = session.runLine("fn f(x) {") else { return XCTFail("an open brace is incomplete") }
        guard case .failure(_, let rendered) = session.runLine("ones(2) + ones(3)") else { return XCTFail("shape error expected") }
        XCTAssertTrue(rendered.contains("add: shapes [2] and [3] do not match"), rendered)
        session.reseed(9)
        XCTAssertEqual(session.seed, 9)
    }

    func testSameSeedSameNumbersAcrossSessions() {
        func draw() -> String {
            let session = BuiltinContext(output: BufferOutputSink(), seed: 42)
            guard case .success(let echo) = session.runLine("tolist(randn(5))") else { return "" }
            return echo ?? ""
        }
        XCTAssertEqual(draw(), draw())
        XCTAssertFalse(draw().isEmpty)
    }

    func testCancellationStopsALongLoop() {
        let session = BuiltinContext(output: BufferOutputSink())
        session.cancellation.cancel()
        // A run resets the flag when it starts, so raise it from inside the script instead.
        let flag = session.cancellation
        session.interpreter.register(NativeFunction(name: "press_ctrl_c", parameters: [], summary: "test", example: "") { _, _ in
            flag.cancel()
            return .nilValue
        })
        guard case .failure(let diagnostics) = session.run("press_ctrl_c()\nwhile true { x = ones(2) }", name: "loop.lab") else {
            return XCTFail("the loop should be interrupted")
        }
        XCTAssertEqual(diagnostics.first?.kind, .runtime(.cancelled))
    }
}
