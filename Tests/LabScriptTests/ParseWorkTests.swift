import Foundation
import XCTest
@testable import LabScript

/// Parsing costs work and memory linear in the input for every nesting construct, under
/// the nesting limit and past it, counted by the parser (`ParseWork`), not timed.
///
/// Each construct is generated at 25, 50, 100, 200 and 400 levels (under and past
/// `Parser.maxNesting`): the counts per input byte stay under a fixed constant, and
/// doubling the levels at most about doubles them (a re-parse or re-lex per level would
/// grow them with the square). Past the limit the result is the located "nested too
/// deeply" error, not a crash. 81 anonymous functions over 81 lines once made the parser
/// retry the same `fn` forever, allocating a diagnostic each time, until the process
/// aborted.
final class ParseWorkTests: XCTestCase {
    static func repeated(_ piece: String, _ count: Int) -> String {
        String(repeating: piece, count: count)
    }

    /// `"{ "{ … 1 … }" }"`: `levels` string interpolations inside each other.
    static func nestedInterpolation(_ levels: Int) -> String {
        var text = "1"
        for _ in 0..<levels { text = "\"{" + text + "}\"" }
        return "x = " + text + "\n"
    }

    /// Every construct that nests (or chains), as a generator of `levels` levels.
    static let constructs: [(name: String, make: @Sendable (Int) -> String)] = [
        ("fn literal over lines", { repeated("fn() {\n", $0) + repeated("}", $0) + "\n" }),
        ("fn literal on one line", { "f = " + repeated("fn() { ", $0) + repeated("}", $0) + "\n" }),
        ("x = fn() { over lines", { repeated("x = fn() {\n", $0) + repeated("}\n", $0) }),
        ("named fn over lines", { repeated("fn g() {\n", $0) + repeated("}\n", $0) }),
        ("if", { repeated("if true {\n", $0) + repeated("}\n", $0) }),
        ("if on one line", { repeated("if true { ", $0) + repeated("} ", $0) + "\n" }),
        ("else if chain", { "if false { }" + repeated(" else if false { }", $0) + " else { }\n" }),
        ("while", { repeated("while false {\n", $0) + repeated("}\n", $0) }),
        ("for", { repeated("for i in xs {\n", $0) + repeated("}\n", $0) }),
        ("return fn", { "fn g() {\n" + repeated("return fn() {\n", $0) + repeated("}\n", $0) + "}\n" }),
        ("parentheses", { "x = " + repeated("(", $0) + "1" + repeated(")", $0) + "\n" }),
        ("parentheses over lines", { "x = " + repeated("(\n", $0) + "1" + repeated(")\n", $0) + "\n" }),
        ("lists", { "x = " + repeated("[", $0) + "1" + repeated("]", $0) + "\n" }),
        ("records", { "x = " + repeated("{a: ", $0) + "1" + repeated("}", $0) + "\n" }),
        ("records over lines", { "x = " + repeated("{\na: ", $0) + "1" + repeated("\n}", $0) + "\n" }),
        ("call arguments", { "x = " + repeated("f(", $0) + "1" + repeated(")", $0) + "\n" }),
        ("named call arguments", { "x = " + repeated("f(a: ", $0) + "1" + repeated(")", $0) + "\n" }),
        ("index arguments", { "x = " + repeated("a[", $0) + "0" + repeated("]", $0) + "\n" }),
        ("slices", { "x = " + repeated("a[1:", $0) + "2" + repeated("]", $0) + "\n" }),
        ("parameter defaults", { "x = " + repeated("fn(a = ", $0) + "1" + repeated(") { }", $0) + "\n" }),
        ("unary minus", { "x = " + repeated("-", $0) + "1\n" }),
        ("not", { "x = " + repeated("not ", $0) + "true\n" }),
        ("power (right-associative)", { "x = " + repeated("2 ^ ", $0) + "1\n" }),
        ("sum chain", { "x = 1" + repeated(" + 1", $0) + "\n" }),
        ("and chain", { "x = true" + repeated(" and true", $0) + "\n" }),
        ("field chain", { "x = r" + repeated(".a", $0) + "\n" }),
        ("call chain", { "x = f" + repeated("()", $0) + "\n" }),
        ("index chain", { "x = a" + repeated("[0]", $0) + "\n" }),
        ("string interpolation", nestedInterpolation),
        ("mixed", { levels in
            // Each opener is valid where the one before it leaves off (statement or expression).
            let open = ["if true {\n", "while x {\n", "y = [(", "{a: f(", "-not fn() {\n"]
            let close = ["}\n", "}\n", ")]\n", ")}", "}"]
            var text = "", closing = ""
            for level in 0..<levels {
                text += open[level % open.count]
                closing = close[level % open.count] + closing
            }
            return text + "1" + closing + "\n"
        }),
    ]

    static let levels = [25, 50, 100, 200, 400]

    /// Counts per input byte stay below these (the deepest string interpolation is lexed
    /// `Parser.maxInterpolationDepth + 1` times).
    static let maxWorkPerByte = 60.0
    static let maxMemoryPerByte = 4.0

    func parse(_ text: String) -> ParseResult {
        // As the interpreter and `isIncomplete` do: parsing recurses up to the nesting limit.
        LargeStack.run(stackSize: 16 << 20) { Parser.parse(SourceFile(name: "nest.lab", text: text)) }
    }

    func testParsingIsLinearForEveryNestingConstruct() {
        var table = "construct                    levels  bytes  tokenReads  scanned  tokens  nodes  diags  work/byte\n"
        for (name, make) in ParseWorkTests.constructs {
            var previousWork: Int?
            var previousMemory: Int?
            for levels in ParseWorkTests.levels {
                let text = make(levels)
                let bytes = text.utf8.count
                let result = parse(text)
                let work = result.work.tokenReads + result.work.bytesScanned
                let memory = result.work.tokensMade + result.work.nodesMade + result.work.diagnostics
                table += name.padding(toLength: 28, withPad: " ", startingAt: 0)
                    + String(format: " %6d %6d %11d %8d %7d %6d %6d %10.1f\n", levels, bytes, result.work.tokenReads,
                             result.work.bytesScanned, result.work.tokensMade, result.work.nodesMade,
                             result.work.diagnostics, Double(work) / Double(bytes))
                XCTAssertLessThanOrEqual(Double(work), ParseWorkTests.maxWorkPerByte * Double(bytes), "\(name) × \(levels): work")
                XCTAssertLessThanOrEqual(Double(memory), ParseWorkTests.maxMemoryPerByte * Double(bytes), "\(name) × \(levels): memory")
                if let previousWork, let previousMemory {
                    // Twice the levels: at most about twice the counts (the square would be 4×).
                    XCTAssertLessThanOrEqual(work, previousWork * 5 / 2, "\(name): work grows faster than the input at \(levels)")
                    XCTAssertLessThanOrEqual(memory, previousMemory * 5 / 2, "\(name): memory grows faster than the input at \(levels)")
                }
                previousWork = work
                previousMemory = memory
                XCTAssertLessThanOrEqual(result.diagnostics.count, 3, "\(name) × \(levels): \(result.diagnostics.map(\.message))")
                if levels >= 200 && !name.hasSuffix("chain") {
                    // Past the limit (chains are bounded by the expression depth instead).
                    XCTAssertTrue(result.diagnostics.contains { $0.message.contains("nested too deeply") && $0.line >= 1 },
                                  "\(name) × \(levels): \(result.diagnostics.map(\.message))")
                }
            }
        }
        print(table)
    }

    /// The reported input itself, the level just under it, and the same through the
    /// interpreter (a run, a REPL input, the completeness check): a located error.
    func testEightyOneAnonymousFunctionsOverLinesAreALocatedError() {
        let under = ParseWorkTests.repeated("fn() {\n", 80) + ParseWorkTests.repeated("}", 80)
        XCTAssertEqual(parse(under).diagnostics.map(\.message), [])
        let text = ParseWorkTests.repeated("fn() {\n", 81) + ParseWorkTests.repeated("}", 81)
        let parsed = parse(text)
        XCTAssertEqual(parsed.diagnostics.count, 1, "\(parsed.diagnostics.map(\.message))")
        XCTAssertTrue(parsed.diagnostics.first?.message.contains("nested too deeply") == true)
        XCTAssertEqual(parsed.diagnostics.first?.line, 81)
        XCTAssertFalse(Parser.isIncomplete(text))
        let interpreter = Interpreter(output: BufferOutputSink())
        for result in [interpreter.run(text, name: "deep.lab"), interpreter.runREPL(text, name: "deep.lab")] {
            guard case .failure(let diagnostics) = result else { return XCTFail("expected the nesting error") }
            XCTAssertEqual(diagnostics.first?.line, 81, "\(diagnostics.map(\.message))")
        }
    }

    /// However many errors a block holds, the parser stops recording them at the report's
    /// limit (each one is memory the input sized).
    func testDiagnosticsInsideABlockStopAtTheLimit() {
        let text = "fn g() {\n" + ParseWorkTests.repeated(") ) )\n", 10_000) + "}\n"
        let result = parse(text)
        XCTAssertEqual(result.work.diagnostics, Parser.maxDiagnostics)
        XCTAssertEqual(result.diagnostics.count, Parser.maxDiagnostics)
    }
}
