import XCTest
@testable import Notebook

final class LabScriptHighlighterTests: XCTestCase {
    /// The tokens that are not whitespace, as (kind, text).
    func spans(_ source: String) -> [String] {
        LabScriptHighlighter.tokens(source).filter { $0.kind != .whitespace }.map { "\($0.kind.rawValue):\($0.text)" }
    }

    func testKeywordsNumbersLabelsCalls() {
        XCTAssertEqual(spans("for t in [0.1, 1e-3, 2_000] { run = train(enc, epochs: 5) }"), [
            "keyword:for", "identifier:t", "keyword:in", "punctuation:[", "number:0.1", "punctuation:,",
            "number:1e-3", "punctuation:,", "number:2_000", "punctuation:]", "punctuation:{",
            "identifier:run", "operator:=", "call:train", "punctuation:(", "identifier:enc", "punctuation:,",
            "label:epochs", "punctuation::", "number:5", "punctuation:)", "punctuation:}",
        ])
    }

    func testRangesRecordsAndSlices() {
        XCTAssertEqual(spans("0..n"), ["number:0", "operator:..", "identifier:n"])
        XCTAssertEqual(spans("{lr: 0.1}"), ["punctuation:{", "label:lr", "punctuation::", "number:0.1", "punctuation:}"])
        // Inside brackets a name before ':' is a slice bound, not a label.
        XCTAssertEqual(spans("x[a:b, :, c:]"), [
            "identifier:x", "punctuation:[", "identifier:a", "punctuation::", "identifier:b", "punctuation:,",
            "punctuation::", "punctuation:,", "identifier:c", "punctuation::", "punctuation:]",
        ])
    }

    func testStringsWithInterpolationAndComments() {
        XCTAssertEqual(spans(#"print("t = {t}: {probe(enc, data).accuracy}") # done"#), [
            "call:print", "punctuation:(", "string:\"t = ", "interpolation:{", "identifier:t", "interpolation:}",
            "string:: ", "interpolation:{", "call:probe", "punctuation:(", "identifier:enc", "punctuation:,",
            "identifier:data", "punctuation:)", "operator:.", "identifier:accuracy", "interpolation:}",
            "string:\"", "punctuation:)", "comment:# done",
        ])
        // Nested strings and braces inside an interpolation; escapes do not end a string.
        XCTAssertEqual(spans(#""a {f("b", {k: 1})} \" c""#), [
            "string:\"a ", "interpolation:{", "call:f", "punctuation:(", "string:\"b\"", "punctuation:,",
            "punctuation:{", "label:k", "punctuation::", "number:1", "punctuation:}", "punctuation:)",
            "interpolation:}", "string: \\\" c\"",
        ])
        XCTAssertEqual(spans("fn f(x, y = nil) { return not x and true or false }"), [
            "keyword:fn", "call:f", "punctuation:(", "identifier:x", "punctuation:,", "identifier:y",
            "operator:=", "keyword:nil", "punctuation:)", "punctuation:{", "keyword:return", "keyword:not",
            "identifier:x", "keyword:and", "keyword:true", "keyword:or", "keyword:false", "punctuation:}",
        ])
    }

    func testUnterminatedInputIsTolerated() {
        XCTAssertEqual(spans("s = \"open\nx"), ["identifier:s", "operator:=", "string:\"open", "identifier:x"])
        XCTAssertEqual(spans("\"{x"), ["string:\"", "interpolation:{", "identifier:x"])
        XCTAssertEqual(spans("\"\\"), ["string:\"\\"])
        XCTAssertEqual(spans("1e+"), ["number:1", "identifier:e", "operator:+"])
    }

    func testTodoCallsAreCounted() {
        let code = """
        # todo("in a comment")
        x = todo("a") + "todo(b)"
        y = todo ("c")
        """
        XCTAssertEqual(LabScriptHighlighter.callCount(of: "todo", in: code), 2)
    }

    func testTerminalColouring() {
        XCTAssertEqual(LabScriptHighlighter.terminalLines("if x {\n  1 # c\n}", colour: false), ["if x {", "  1 # c", "}"])
        let coloured = LabScriptHighlighter.terminalLines("if 1", colour: true)
        XCTAssertEqual(coloured, ["\u{1B}[1;35mif\u{1B}[0m \u{1B}[36m1\u{1B}[0m"])
        XCTAssertEqual(stripANSI(coloured[0]), "if 1")
    }

    func testHTMLSpansAreEscaped() {
        XCTAssertEqual(highlightedHTML(#"x < "a&b" # <i>"#),
                       #"x &lt; <span class="st">&quot;a&amp;b&quot;</span> <span class="co"># &lt;i&gt;</span>"#)
    }

    /// Random input, weighted towards the characters the lexer cares about, never crashes,
    /// never loses or invents text, and never loops (the test would hang).
    func testRandomInputNeverCrashesAndRoundTrips() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {          // splitmix64, so the test is the same on every run
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let alphabet: [String] = ["\"", "'", "{", "}", "(", ")", "[", "]", ":", ",", "#", "\\", "\n", "\r\n", "\r",
                                  " ", "\t", "1", "0", ".", "e", "-", "+", "_", "fn", "todo", "if", "x", "é",
                                  "\u{301}", "🙂", "\u{0}", "@", "^", "=", "..", "`", "*"]
        for _ in 0..<3000 {
            let length = Int(next() % 60)
            var source = ""
            for _ in 0..<length { source += alphabet[Int(next() % UInt64(alphabet.count))] }
            let tokens = LabScriptHighlighter.tokens(source)
            XCTAssertEqual(tokens.map(\.text).joined(), source)
            XCTAssertFalse(tokens.contains { $0.text.isEmpty })
            _ = LabScriptHighlighter.terminalLines(source, colour: true)
            _ = highlightedHTML(source)
        }
        // Deep nesting beyond the limit is shown as text, not recursed into.
        let deep = String(repeating: "\"{", count: 5000)
        XCTAssertEqual(LabScriptHighlighter.tokens(deep).map(\.text).joined(), deep)
    }
}
