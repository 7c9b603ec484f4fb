import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
import LabScript
@testable import Notebook

/// A learner's file full of payloads (script links, raw HTML, event handlers, table
/// breakers, fence breakers) in prose and in what the code shows (printed text, table
/// cells and headers, titles, labels, the failure message), run in a real session and
/// exported: nothing live survives in the HTML page or in the Markdown.
final class ExportPayloadTests: XCTestCase {
    static let lessonText = #"""
    # %% [markdown]
    # # Payloads <script>alert(1)</script>
    # [js](javascript:alert(1)) [JS](JaVaScRiPt:alert(1)) [ent](&#106;avascript:alert(1)) [col](javascript&colon;alert(1))
    # [data](data:text/html,x) [vb](vbscript:msgbox(1)) [pct](%6Aavascript:alert(1)) [ok](https://example.org/ok)
    # ![img](javascript:alert(1)) <img src=x onerror=alert(1)> <a href="javascript:alert(1)">raw</a> <iframe src="data:x"></iframe>
    # `</code><script>` **<b onclick=alert(1)>** a | b ]( [x](y z) &#60;script&#62; <https://example.org> <javascript:alert(1)>
    #
    # <script>alert(2)</script>
    #
    # - [item](javascript:alert(1)) <img src=x onerror=alert(1)>
    # > quoted <svg onload=alert(1)>
    #
    # ```html
    # <script>alert("in a fence is fine")</script>
    # ```

    # %%
    p = "<img src=x onerror=alert(3)>"
    print(p)
    print("```\n<script>alert(4)</script>\n```")
    show(table([{name: p, v: 1}, {name: "a|b\n<script>alert(5)</script>", v: 2}], title: "<b onmouseover=alert(6)>t</b> [t](javascript:alert(6))"))
    table([[p, 1]], columns: ["<img src=x onerror=alert(10)>", "v|w"])

    # %%
    show(bar([1, 2], labels: [p, "[x](javascript:alert(7))"], title: p))

    # %%
    expect(false, "<img src=x onerror=alert(8)> ](javascript:alert(9)) `x` *y*")
    """#

    func runLesson() throws -> LessonRun {
        let session = ScriptSession.standard(output: BufferOutputSink(), cancellation: CancellationFlag())
        let executor = InterpreterCellExecutor(session: session)
        let run = LessonRunner(executor: executor, write: { _ in }).run(try Lesson(parsing: Self.lessonText, file: "payloads.lab"))
        guard case .failed = run.outcome else {
            XCTFail("the last cell should fail, got \(run.outcome)")
            return run
        }
        return run
    }

    func testHTMLExportHasNothingLive() throws {
        let page = HTMLExport.page(try runLesson())
        XCTAssertNil(WellFormedness.problem(page))
        let markup = try XCTUnwrap(MarkupInventory(page))
        XCTAssertEqual(markup.problems, [], page)
        XCTAssertEqual(markup.links, ["https://example.org/ok"], "the one allowed link stays a link")
        // The payloads are there, as text.
        XCTAssertTrue(page.contains("&lt;img src=x onerror=alert(3)&gt;"))
        XCTAssertTrue(page.contains("[js](javascript:alert(1))"))
        XCTAssertTrue(page.contains("The run stopped: cell"))
    }

    func testMarkdownExportHasNothingLive() throws {
        let export = MarkdownExport(try runLesson(), baseName: "pay) <x> [y]:z")
        let markdown = export.markdown
        XCTAssertEqual(MarkdownLiveness.problems(markdown), [], markdown)
        XCTAssertTrue(markdown.contains("[ok](https://example.org/ok)"), markdown)
        XCTAssertTrue(markdown.contains("| \\<img src=x onerror=alert(3)> | 1 |"), markdown)
        XCTAssertTrue(markdown.contains("| a\\|b \\<script>alert(5)\\</script> | 2 |"), markdown)
        XCTAssertTrue(markdown.contains("| \\<img src=x onerror=alert(10)> | v\\|w |"), markdown)
        XCTAssertTrue(markdown.contains("**\\<b onmouseover=alert(6)>t\\</b> \\[t\\](javascript:alert(6))**"), markdown)
        XCTAssertTrue(markdown.contains("![\\<img src=x onerror=alert(3)>](./pay%29%20%3Cx%3E%20%5By%5D%3Az-cell"), markdown)
        XCTAssertTrue(markdown.contains("failed at line 28: expect failed: \\<img src=x onerror=alert(8)> \\](javascript:alert(9)) \\`x\\` \\*y\\*"), markdown)
        XCTAssertTrue(markdown.contains("````text\n<img src=x onerror=alert(3)>\n```\n<script>alert(4)</script>\n```\n````"), markdown)
        XCTAssertTrue(markdown.contains("```html\n<script>alert(\"in a fence is fine\")</script>\n```"), markdown)
    }

    /// The checkers find what they look for.
    func testCheckersCanFail() throws {
        XCTAssertFalse(MarkdownLiveness.problems("a <img src=x> b").isEmpty)
        XCTAssertFalse(MarkdownLiveness.problems("[a](javascript:alert(1))").isEmpty)
        XCTAssertFalse(MarkdownLiveness.problems("![a](data:x)").isEmpty)
        XCTAssertFalse(MarkdownLiveness.problems("&#106;").isEmpty)
        XCTAssertFalse(MarkdownLiveness.problems("```text\nx\n```\n<b>\n```").isEmpty, "a payload fence that closes the output's")
        XCTAssertEqual(MarkdownLiveness.problems("\\<b> `<b>` [ok](https://x.org) \\&#106;\n\n````\n```\n<b>\n````"), [])
        let bad = try XCTUnwrap(MarkupInventory("<html><body><a href=\"javascript:x\">a</a><img src=\"x\" onerror=\"y\"/><script>z</script></body></html>"))
        XCTAssertEqual(bad.problems.count, 4, "\(bad.problems)")
    }
}

/// Every element and attribute of a well-formed page: problems are elements outside an
/// allow-list (text, structure, tables, the SVG the charts draw), event-handler or style
/// attributes, and link attributes to destinations the link policy refuses.
final class MarkupInventory: NSObject, XMLParserDelegate {
    static let allowedElements: Set<String> = [
        "html", "head", "meta", "title", "style", "body", "main", "section", "nav", "footer", "div", "span", "pre", "code", "p",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "em", "strong", "a", "hr", "br",
        "figure", "figcaption", "table", "caption", "thead", "tbody", "tr", "th", "td",
        "svg", "g", "rect", "line", "polyline", "polygon", "path", "circle", "text", "tspan", "desc", "defs", "clipPath",
    ]
    var problems: [String] = []
    var links: [String] = []

    init?(_ page: String) {
        super.init()
        let parser = XMLParser(data: Data(page.utf8))
        parser.delegate = self
        guard parser.parse() else { return nil }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if !Self.allowedElements.contains(name) { problems.append("element <\(name)>") }
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            let attribute = key.lowercased()
            if attribute.hasPrefix("on") { problems.append("<\(name) \(key)>") }
            if ["href", "src", "xlink:href", "action", "formaction"].contains(attribute) {
                if MarkdownLinkPolicy.allows(value) { links.append(value) } else { problems.append("<\(name) \(key)=\"\(value)\">") }
            }
        }
    }
}

/// What a CommonMark/GFM renderer would turn into live markup outside code: raw HTML or
/// autolinks (an unescaped `<`), character references (an unescaped `&` starting one),
/// link and image destinations the policy refuses, and fences closed early.
enum MarkdownLiveness {
    static func problems(_ markdown: String) -> [String] {
        var problems: [String] = []
        var fence: (char: Character, count: Int)?
        for (number, line) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop(while: { $0 == " " })
            if let open = fence {
                let run = trimmed.prefix(while: { $0 == open.char })
                if run.count >= open.count, trimmed.dropFirst(run.count).allSatisfy({ $0 == " " }) { fence = nil }
                continue
            }
            if let c = trimmed.first, c == "`" || c == "~" {
                let run = trimmed.prefix(while: { $0 == c }).count
                if run >= 3 { fence = (c, run); continue }
            }
            let chars = Array(line)
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if c == "\\" { i += 2; continue }
                if c == "`" {
                    var j = i
                    while j < chars.count, chars[j] == "`" { j += 1 }
                    let run = j - i
                    var k = j
                    var closed: Int?
                    while k < chars.count {
                        if chars[k] == "`" {
                            var m = k
                            while m < chars.count, chars[m] == "`" { m += 1 }
                            if m - k == run { closed = m; break }
                            k = m
                        } else { k += 1 }
                    }
                    i = closed ?? j
                    continue
                }
                if c == "<" { problems.append("line \(number + 1): raw HTML or autolink: \(line)") }
                if c == "&", i + 1 < chars.count, chars[i + 1] == "#" || chars[i + 1].isLetter,
                   chars[(i + 1)...].prefix(while: { $0 != " " }).contains(";") {
                    problems.append("line \(number + 1): character reference: \(line)")
                }
                if c == "]", i + 1 < chars.count, chars[i + 1] == "(" {
                    var destination = ""
                    var k = i + 2
                    while k < chars.count, chars[k] != ")" {
                        if chars[k] == "\\", k + 1 < chars.count { destination.append(chars[k + 1]); k += 2; continue }
                        destination.append(chars[k])
                        k += 1
                    }
                    if !MarkdownLinkPolicy.allows(destination) { problems.append("line \(number + 1): link to \(destination)") }
                }
                i += 1
            }
        }
        return problems
    }
}
