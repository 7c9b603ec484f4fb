import XCTest
@testable import LabScript

/// The renderer's output, exactly: header, source line, caret and tildes, call stack.
final class DiagnosticRendererTests: XCTestCase {
    private func failure(_ text: String, name: String = "demo.lab") -> [Diagnostic] {
        let interpreter = Interpreter(output: BufferOutputSink())
        guard case .failure(let diagnostics) = interpreter.run(text, name: name) else {
            XCTFail("expected a failure")
            return []
        }
        return diagnostics
    }

    func testRuntimeErrorWithSpanAndSuggestion() {
        let diagnostics = failure("lr = 0.1\nx = lrr * 2\n")
        XCTAssertEqual(DiagnosticRenderer().render(diagnostics[0]), """
            demo.lab:2:5: error: undefined name 'lrr'; did you mean 'lr'?
                x = lrr * 2
                    ^~~
            """)
    }

    /// The caret sits under the name in terminal columns: a Han character before it takes
    /// two, as it does on the line above.
    func testCaretUnderTextAfterWideCharacters() {
        let diagnostics = failure("label = \"模式崩溃\" + lr_x\n")
        let lines = DiagnosticRenderer().render(diagnostics[0]).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines[1], "    label = \"模式崩溃\" + lr_x")
        XCTAssertEqual(lines[2], "    " + String(repeating: " ", count: 21) + "^~~~")
    }

    func testCallStackInnermostFirst() {
        let text = "fn inner(x) {\n    return x / 0\n}\nfn outer(y) {\n    return inner(y)\n}\nouter(1)\n"
        XCTAssertEqual(failure(text)[0].rendered, """
            demo.lab:2:12: error: division by zero
                    return x / 0
                           ^~~~~
              in inner(), called at demo.lab:5:12
              in outer(), called at demo.lab:7:1
            """)
    }

    func testRecursionFoldsRepeatedFrames() {
        let text = "fn down(n) {\n    return down(n + 1)\n}\ndown(0)\n"
        let rendered = failure(text)[0].rendered
        let lines = rendered.split(separator: "\n")
        XCTAssertEqual(lines[0], "demo.lab:2:12: error: recursion too deep (more than 1000 nested calls)")
        XCTAssertTrue(lines[3].hasPrefix("  in down(), called at demo.lab:2:12 ("), String(lines[3]))
        XCTAssertTrue(lines[3].hasSuffix(" times)"), String(lines[3]))
        XCTAssertEqual(lines[4], "  in down(), called at demo.lab:4:1")
        XCTAssertEqual(lines.count, 5)
    }

    func testAllSyntaxErrorsInOrder() {
        let diagnostics = failure("x = (1 +)\ny = [1 2]\nz = 3\n")
        XCTAssertEqual(DiagnosticRenderer().render(diagnostics), """
            demo.lab:1:9: error: expected an expression, found ')'
                x = (1 +)
                        ^
            demo.lab:2:8: error: expected ']' to close the list, found number 2
                y = [1 2]
                       ^

            """)
    }

    func testEndOfLineErrorPointsAfterLastToken() {
        XCTAssertEqual(failure("total = 1 +\n")[0].rendered, """
            demo.lab:1:12: error: expected an expression, found end of line
                total = 1 +
                           ^
            """)
    }

    func testTabsAreKeptInPadding() {
        XCTAssertEqual(failure("\tx = nope\n")[0].rendered,
                       "demo.lab:1:6: error: undefined name 'nope'\n    \tx = nope\n    \t    ^~~~")
    }

    func testUnicodeColumnsCountCharacters() {
        XCTAssertEqual(failure("s = \"é\" + 1\n")[0].rendered, """
            demo.lab:1:5: error: cannot add string and number; use str(x) or "{x}" interpolation
                s = "é" + 1
                    ^~~~~~~
            """)
    }

    func testSpanOverSeveralLinesMarksToEndOfFirstLine() {
        let diagnostics = failure("x = [1,\n2] - 1\n")
        XCTAssertEqual(diagnostics[0].rendered, """
            demo.lab:1:5: error: unsupported operand types for '-': list and number
                x = [1,
                    ^~~
            """)
    }

    func testColorWrapsErrorWordAndMarker() {
        let rendered = DiagnosticRenderer(color: true).render(failure("nope\n")[0])
        XCTAssertEqual(rendered, "demo.lab:1:1: \u{1B}[1;31merror:\u{1B}[0m undefined name 'nope'\n    nope\n    \u{1B}[1;32m^~~~\u{1B}[0m")
    }

    func testLineAndColumnAccessors() {
        let diagnostic = failure("\n\n   oops\n")[0]
        XCTAssertEqual(diagnostic.line, 3)
        XCTAssertEqual(diagnostic.column, 4)
    }
}
