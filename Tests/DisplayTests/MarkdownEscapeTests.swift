import XCTest
@testable import Display

/// `markdownEscape`: text that a CommonMark or GitHub renderer shows as written.
final class MarkdownEscapeTests: XCTestCase {
    func testMarkupIsEscaped() {
        XCTAssertEqual(markdownEscape("<img src=x onerror=alert(1)>"), "\\<img src=x onerror=alert(1)>")
        XCTAssertEqual(markdownEscape("a|b\nc\r\nd"), "a\\|b c d")
        XCTAssertEqual(markdownEscape("[x](javascript:alert(1)) ![i](data:x)"), "\\[x\\](javascript:alert(1)) !\\[i\\](data:x)")
        XCTAssertEqual(markdownEscape("`code` *em* **b** ~~s~~ \\ &amp; &#106;"), "\\`code\\` \\*em\\* \\*\\*b\\*\\* \\~\\~s\\~\\~ \\\\ \\&amp; \\&#106;")
        XCTAssertEqual(markdownEscape("snake_case _em_ a_"), "snake_case \\_em\\_ a\\_")
        XCTAssertEqual(markdownEscape("bell\u{7}esc\u{1B}del\u{7F}\ttab"), "bellescdel\ttab")
        XCTAssertEqual(markdownEscape("0.61 ± 0.02, a & b"), "0.61 ± 0.02, a & b", "numbers and a lone & stay readable")
    }

    func testLineStartMarkersOnlyAtLineStart() {
        XCTAssertEqual(markdownEscape("# h", atLineStart: true), "\\# h")
        XCTAssertEqual(markdownEscape("> q", atLineStart: true), "\\> q")
        XCTAssertEqual(markdownEscape("- item", atLineStart: true), "\\- item")
        XCTAssertEqual(markdownEscape("12. item", atLineStart: true), "12\\. item")
        XCTAssertEqual(markdownEscape("3) item", atLineStart: true), "3\\) item")
        XCTAssertEqual(markdownEscape("-0.5 # 1. x", atLineStart: false), "-0.5 # 1. x")
    }
}
