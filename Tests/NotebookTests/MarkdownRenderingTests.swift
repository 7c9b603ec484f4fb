import XCTest
@testable import Notebook

final class MarkdownRenderingTests: XCTestCase {
    static let sample = """
    # 3. Mode collapse

    Two copies of *one* encoder, shown only **positive pairs**, learn to map every input to the same vector: the `embedding_std` falls towards 0 and [RankMe](https://arxiv.org/abs/2210.02885) towards 1.

    ## What to watch

    - the loss, which goes to its minimum;
    - the spread of the embeddings, measured by `embedding_std(z)` on L2-normalised rows, which is long enough to wrap;
      a continuation line of the same item
      - a nested point
    - snake_case names like rank_me stay _as written_

    1. Train.
    2. Measure.

    > The loss is not the whole story.
    > Look at the embeddings.

    ```lab
    z = embed(enc, digits())   # the embeddings
    ```

    ---
    """

    /// Chinese prose: wrapped by display width between characters (not before `，` or after
    /// `（`), soft line breaks between Chinese characters joined without a space, headings
    /// underlined to their width; Latin words keep their spaces.
    /// Exported notebooks: Jupyter reads a soft break as a space, so breaks between Chinese
    /// characters are removed in the exported source; English, headings and code stay.
    func testSoftBreaksBetweenChineseAreJoinedForJupyter() {
        XCTAssertEqual(MarkdownSoftBreaks.joinedForChinese("看起来就像\n一个很大的方向。"), "看起来就像一个很大的方向。")
        XCTAssertEqual(MarkdownSoftBreaks.joinedForChinese("- 列表项\n  的续行"), "- 列表项的续行")
        XCTAssertEqual(MarkdownSoftBreaks.joinedForChinese("an English line\nand the next"), "an English line\nand the next")
        XCTAssertEqual(MarkdownSoftBreaks.joinedForChinese("## 标题\n正文"), "## 标题\n正文")
        XCTAssertEqual(MarkdownSoftBreaks.joinedForChinese("```\n代码\n注释\n```"), "```\n代码\n注释\n```")
        XCTAssertEqual(MarkdownSoftBreaks.joinedForChinese("段落一\n\n段落二"), "段落一\n\n段落二")
        // The renderers' rule: emphasis markers at the break are looked past.
        XCTAssertEqual(MarkdownSoftBreaks.joinedForChinese("这就是**模式崩溃**\n（也叫表示崩溃）"), "这就是**模式崩溃**（也叫表示崩溃）")
    }

    func testChineseWrapsByDisplayWidth() {
        let markdown = """
        # 自监督学习

        一二三四五六七八九十，一二三四五六七八（九十）
        一二三，软换行不加空格；用 SimCLR
        训练。
        """
        let lines = TerminalMarkdownRenderer(width: 20, colour: false).render(markdown)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines, ["自监督学习", "==========", "", "一二三四五六七八九", "十，一二三四五六七八", "（九十）一二三，软换",
                               "行不加空格；用", "SimCLR 训练。", ""])
        // Emphasis markers and Chinese quotes at a soft break join without a space too.
        XCTAssertEqual(TerminalMarkdownRenderer(width: 80, colour: false)
            .render("这就是**模式崩溃**\n（mode collapse，也叫\n*表示崩溃*）。如果手写“3”\n的副本"),
                       "这就是模式崩溃（mode collapse，也叫表示崩溃）。如果手写“3”的副本\n")
        // With colour, the same breaks: escape sequences take no columns.
        let coloured = TerminalMarkdownRenderer(width: 20, colour: true).render("# 自监督学习\n\n**对比学习**把两个视图拉近，把其他视图推远。")
        XCTAssertEqual(coloured.split(separator: "\n").map { visibleWidth(String($0)) }, [10, 10, 20, 20])
    }

    func testPlainGolden() {
        let rendered = TerminalMarkdownRenderer(width: 60, colour: false).render(Self.sample)
        let expected = """
        3. Mode collapse
        ================

        Two copies of one encoder, shown only positive pairs, learn
        to map every input to the same vector: the `embedding_std`
        falls towards 0 and RankMe
        (https://arxiv.org/abs/2210.02885) towards 1.

        What to watch
        -------------

        - the loss, which goes to its minimum;
        - the spread of the embeddings, measured by
          `embedding_std(z)` on L2-normalised rows, which is long
          enough to wrap; a continuation line of the same item
          - a nested point
        - snake_case names like rank_me stay as written

        1. Train.
        2. Measure.

        > The loss is not the whole story. Look at the embeddings.

            z = embed(enc, digits())   # the embeddings

        ------------------------------------------------------------

        """
        XCTAssertEqual(rendered, expected)
        for line in rendered.split(separator: "\n") {
            XCTAssertLessThanOrEqual(line.count, 60, String(line))
        }
    }

    func testInlineParse() {
        XCTAssertEqual(MarkdownInline.parse("a *b **c** d* `e*f` \\*g\\* h_i_j **open"), [
            .text("a "), .emphasis([.text("b "), .strong([.text("c")]), .text(" d")]), .text(" "), .code("e*f"),
            .text(" *g* h_i_j **open"),
        ])
        XCTAssertEqual(MarkdownInline.parse("[a `b`](u) and [no link] (x)"), [
            .link(text: [.text("a "), .code("b")], url: "u"), .text(" and [no link] (x)"),
        ])
        XCTAssertEqual(MarkdownInline.parse("`` a ` b ``"), [.code("a ` b")])
    }

    func testBlockParse() {
        XCTAssertEqual(MarkdownBlock.parse("### Three ###\n3) three\n4) four\n\n* a\n\n  more a\n* b"), [
            .heading(level: 3, [.text("Three")]),
            .list(start: 3, items: [[.paragraph([.text("three")])], [.paragraph([.text("four")])]]),
            .list(start: nil, items: [[.paragraph([.text("a")]), .paragraph([.text("more a")])],
                                      [.paragraph([.text("b")])]]),
        ])
        XCTAssertEqual(MarkdownBlock.parse("```\nunclosed\n  kept"), [.code(language: "", text: "unclosed\n  kept")])
    }

    func testColourOn() {
        let r = TerminalMarkdownRenderer(width: 40, colour: true)
        XCTAssertEqual(r.render("## Hi\n\nSome **bold** and `code`."), """
        \u{1B}[1mHi\u{1B}[0m
        \u{1B}[2m--\u{1B}[0m

        Some \u{1B}[1mbold\u{1B}[0m and \u{1B}[36mcode\u{1B}[0m.

        """)
        XCTAssertEqual(r.render("- a"), "\u{1B}[36m•\u{1B}[0m a\n")
        XCTAssertEqual(stripANSI(r.render(Self.sample)).split(separator: "\n").first, "3. Mode collapse")
    }

    func testNumberedListsAlignAndWrap() {
        let text = (1...10).map { "\($0). item \($0) with words enough to wrap around" }.joined(separator: "\n")
        let rendered = TerminalMarkdownRenderer(width: 30, colour: false).render(text)
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines[0], " 1. item 1 with words enough")   // numbers right-aligned to "10."
        XCTAssertEqual(lines[1], "    to wrap around")
        XCTAssertTrue(rendered.contains("10. item 10 with words enough\n    to wrap around"))
    }

    func testEmptyAndOddInputDoNotCrash() {
        let r = TerminalMarkdownRenderer(width: 5, colour: true)
        for text in ["", "\n\n", "#", "- ", "> ", "```", "1.", "**", "*a", "[a](", "`", "#######", "> > - 1. x"] {
            _ = r.render(text)
            _ = HTMLMarkdownRenderer.render(text)
            _ = MarkdownTextRenderer.render(text)
        }
    }
}

/// The Markdown export's renderer writes Markdown that means what the source meant: read
/// back, it renders to the same HTML.
final class MarkdownTextRenderingTests: XCTestCase {
    func testRoundTripKeepsTheMeaning() {
        let sources = [MarkdownRenderingTests.sample, ExportPayloadTests.lessonText,
                       "# Title #\n\n1. x\n2. y\n\n\\# not a heading, 1\\. not a list, C#, a_b_c, *a* **b** `a``b` ` `` `",
                       "- a\n\n  more of a\n\n  ```\n  code\n  ```\n- b\n  1. c\n\n> q\n>\n> - r\n\n***"]
        for source in sources {
            let markdown = MarkdownTextRenderer.render(source)
            XCTAssertEqual(HTMLMarkdownRenderer.render(markdown), HTMLMarkdownRenderer.render(source), markdown)
        }
    }
}

final class HTMLMarkdownRenderingTests: XCTestCase {
    func testHTMLGolden() {
        XCTAssertEqual(HTMLMarkdownRenderer.render(MarkdownRenderingTests.sample), """
        <h1>3. Mode collapse</h1>
        <p>Two copies of <em>one</em> encoder, shown only <strong>positive pairs</strong>, learn to map every input to the same vector: the <code>embedding_std</code> falls towards 0 and <a href="https://arxiv.org/abs/2210.02885">RankMe</a> towards 1.</p>
        <h2>What to watch</h2>
        <ul>
        <li>the loss, which goes to its minimum;</li>
        <li>the spread of the embeddings, measured by <code>embedding_std(z)</code> on L2-normalised rows, which is long enough to wrap; a continuation line of the same item
        <ul>
        <li>a nested point</li>
        </ul></li>
        <li>snake_case names like rank_me stay <em>as written</em></li>
        </ul>
        <ol>
        <li>Train.</li>
        <li>Measure.</li>
        </ol>
        <blockquote>
        <p>The loss is not the whole story. Look at the embeddings.</p>
        </blockquote>
        <pre><code class="language-lab">z = <span class="fn">embed</span>(enc, <span class="fn">digits</span>())   <span class="co"># the embeddings</span></code></pre>
        <hr/>
        """)
        XCTAssertEqual(HTMLMarkdownRenderer.render("3. <b>&\n4. x"), "<ol start=\"3\">\n<li>&lt;b&gt;&amp;</li>\n<li>x</li>\n</ol>")
    }
}
