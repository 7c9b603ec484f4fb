import Foundation
import XCTest
@testable import LabScript

/// Long chains that a loop in the parser builds (left-associative operators, postfix
/// fields, indexing and calls, `else if`) are bounded like brackets are: a located
/// "nested too deeply" error, never a stack overflow when parsed, run or freed.
final class DepthLimitTests: XCTestCase {
    static func repeated(_ piece: String, _ count: Int) -> String {
        String(repeating: piece, count: count)
    }

    /// Inputs that used to overflow the stack, each with a form just under the limit.
    static let chains: [(name: String, text: String)] = [
        ("40,000-term sum", "x = 1" + repeated(" + 1", 40_000) + "\n"),
        ("50,000 fields", "x = r" + repeated(".a", 50_000) + "\n"),
        ("50,000 indexings", "x = r" + repeated("[0]", 50_000) + "\n"),
        ("50,000 calls", "x = f" + repeated("()", 50_000) + "\n"),
        ("50,000 ands", "x = true" + repeated(" and true", 50_000) + "\n"),
        ("50,000 ors", "x = false" + repeated(" or false", 50_000) + "\n"),
        ("40,000 comparisons", "x = 1" + repeated(" < 2", 40_000) + "\n"),
        ("40,000 else ifs", "if false { }" + repeated(" else if false { }", 40_000) + " else { }\n"),
        ("50,000 nots", "x = " + repeated("not ", 50_000) + "true\n"),
        ("50,000 minus signs", "x = " + repeated("- ", 50_000) + "1\n"),
        ("50,000 powers", "x = 1" + repeated(" ^ 1", 50_000) + "\n"),
        ("50,000 parentheses", "x = " + repeated("(", 50_000) + "1" + repeated(")", 50_000) + "\n"),
        ("a sum of deep sums", "x = " + repeated("(1" + repeated(" + 1", 900) + ") + ", 200) + "1\n"),
        ("in a string", "x = \"{1" + repeated(" + 1", 40_000) + "}\"\n"),
    ]

    func testLongChainsAreALocatedError() {
        let interpreter = Interpreter(output: BufferOutputSink())
        for (name, text) in DepthLimitTests.chains {
            for repl in [false, true] {
                let result = repl ? interpreter.runREPL(text, name: "chain.lab") : interpreter.run(text, name: "chain.lab")
                guard case .failure(let diagnostics) = result else {
                    XCTFail("\(name): expected an error"); continue
                }
                XCTAssertTrue(diagnostics.contains { $0.message.contains("nested too deeply") && $0.line == 1 },
                              "\(name): \(diagnostics.prefix(2).map(\.message))")
                XCTAssertLessThanOrEqual(diagnostics.count, 3, name)
            }
        }
    }

    /// Parsing (and freeing the syntax tree) on an ordinary thread, as the REPL's
    /// completeness check and the notebook's echo path do.
    func testParsingLongChainsOnAnOrdinaryThreadIsSafe() {
        for (name, text) in DepthLimitTests.chains {
            let parsed = Parser.parse(SourceFile(name: "chain.lab", text: text))
            XCTAssertFalse(parsed.diagnostics.isEmpty, name)
        }
    }

    func testChainsUnderTheLimitStillWork() {
        let interpreter = Interpreter(output: BufferOutputSink())
        let text = """
            r = {a: 1}
            total = 1\(DepthLimitTests.repeated(" + 1", 900))
            ok = true\(DepthLimitTests.repeated(" and true", 900))
            xs = [[[[5]]]]
            y = xs[0][0][0][0]
            if false { } \(DepthLimitTests.repeated("else if false { } ", 100))else { z = 7 }
            """
        if case .failure(let diagnostics) = interpreter.run(text, name: "ok.lab") {
            XCTFail(DiagnosticRenderer().render(diagnostics))
        }
        XCTAssertEqual(interpreter.globals.lookup("total").map { $0.isEqual(to: .number(901)) }, true)
        XCTAssertEqual(interpreter.globals.lookup("y").map { $0.isEqual(to: .number(5)) }, true)
        XCTAssertEqual(interpreter.globals.lookup("z").map { $0.isEqual(to: .number(7)) }, true)
    }

    /// Chains of closures through lists and records as well as directly, freed on an
    /// ordinary thread when the interpreter goes.
    func testNestedClosuresAreFreedIteratively() {
        let forms = [
            "fn wrap(h) { return fn() { return h() } }",
            "fn wrap(h) { hs = [h]; return fn() { return hs[0]() } }",
            "fn wrap(h) { r = {g: h}; return fn() { return r.g() } }",
            "fn wrap(h) { return [fn() { return h[0]() }] }",
        ]
        for form in forms {
            var interpreter: Interpreter? = Interpreter(output: BufferOutputSink())
            let start = form.contains("return [fn") ? "f = [fn() { return 1 }]" : "f = fn() { return 1 }"
            let text = "\(form)\n\(start)\nfor i in 0..200000 { f = wrap(f) }\n"
            if case .failure(let diagnostics)? = interpreter?.run(text, name: "chain.lab") {
                XCTFail(DiagnosticRenderer().render(diagnostics))
            }
            interpreter = nil
            XCTAssertNil(interpreter)
        }
    }
}
