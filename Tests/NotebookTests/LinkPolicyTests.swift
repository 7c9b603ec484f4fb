import XCTest
@testable import Notebook

/// `MarkdownLinkPolicy`: only http(s), mailto, fragments and relative references are
/// links, whatever the spelling of a refused scheme; every renderer follows it.
final class LinkPolicyTests: XCTestCase {
    static let refused = [
        "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
        "java\nscript:alert(1)", "\u{1}javascript:alert(1)", "java\u{200B}script:alert(1)", "java\u{AD}script:alert(1)",
        "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)", "&#106avascript:alert(1)", "javascript&colon;alert(1)",
        "javascript&#58;alert(1)", "javascript&#x3a;alert(1)", "%6Aavascript:alert(1)", "javascript%3Aalert(1)",
        "&amp;#106;avascript:alert(1)", "%2526%2523106;avascript:alert(1)", "java&Tab;script:alert(1)", "&unknown;x",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "DATA:image/svg+xml,<svg onload=alert(1)>",
        "vbscript:msgbox(1)", "file:///etc/passwd", "ftp://x.org/f", ":nothing", "javascript\\:alert(1)",
    ]
    static let allowed = [
        "https://arxiv.org/abs/2210.02885", "HTTP://example.com", "http://x.org/?a=1&b=2", "mailto:teacher@example.org",
        "#cell-3", "figures/loss.svg", "../notes.md", "./a:b.svg", "?page=2", "", "https://x.org/a%20b",
    ]

    func testRefusedAndAllowedDestinations() {
        for url in Self.refused { XCTAssertFalse(MarkdownLinkPolicy.allows(url), "allowed \(url.debugDescription)") }
        for url in Self.allowed { XCTAssertTrue(MarkdownLinkPolicy.allows(url), "refused \(url.debugDescription)") }
    }

    func testRefusedLinksStayTextInEveryRenderer() {
        let terminal = TerminalMarkdownRenderer(width: 200, colour: false)
        for url in Self.refused where !url.contains(" ") && !url.contains(where: \.isNewline) {
            let source = "see [here](\(url)) now"
            XCTAssertFalse(MarkdownInline.parse(source).contains { if case .link = $0 { return true } else { return false } }, url)
            XCTAssertFalse(HTMLMarkdownRenderer.render(source).contains("<a"), url)
            XCTAssertFalse(MarkdownTextRenderer.render(source).contains("[here]("), url)
            XCTAssertTrue(terminal.render(source).contains("[here]"), "the terminal shows the link as written text: \(url)")
        }
        XCTAssertEqual(HTMLMarkdownRenderer.render("see [here](https://example.org/x?a=1&b=2)"),
                       "<p>see <a href=\"https://example.org/x?a=1&amp;b=2\">here</a></p>")
        XCTAssertEqual(MarkdownTextRenderer.render(#"see [here](https://x.org/a\b<c>&d) now"#), #"see [here](https://x.org/a\\b\<c\>\&d) now"#)
        XCTAssertEqual(terminal.render("[arXiv](https://arxiv.org)"), "arXiv (https://arxiv.org)\n")
    }
}
