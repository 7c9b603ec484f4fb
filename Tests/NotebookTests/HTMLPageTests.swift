import Display
import Foundation
import LabSupport
import XCTest
@testable import Notebook

/// The parts of an exported page a learner shares: contents, footer, column and themes.
final class HTMLPageTests: XCTestCase {
    static let lesson = """
    # %% [markdown]
    # # 3. Mode *collapse*
    # Why embeddings collapse.
    #
    # ## Two views of one image

    # %%
    print hello

    # %% [markdown]
    # ### The loss & its `floor`
    # ## Two views of one image
    # ## Rank, <measured>
    """

    func page(about: RunAbout?) throws -> String {
        let runner = LessonRunner(executor: FakeExecutor(), write: { _ in })
        return HTMLExport.page(runner.run(try Lesson(parsing: HTMLPageTests.lesson, file: "03-collapse.lab")), about: about)
    }

    /// A Chinese lesson (a twin in `Lessons/zh/`) is a `zh-CN` page whose font stacks name
    /// CJK fonts; its notebook says the language too. An English lesson stays `en`.
    func testAChineseLessonDeclaresItsLanguageAndCJKFonts() throws {
        let runner = LessonRunner(executor: FakeExecutor(), write: { _ in })
        let chinese = runner.run(try Lesson(parsing: HTMLPageTests.lesson, file: "/tmp/course/zh/03-collapse.lab"))
        let page = HTMLExport.page(chinese)
        XCTAssertTrue(page.contains("<html lang=\"zh-CN\">"), page)
        XCTAssertTrue(page.contains("\"Noto Sans CJK SC\""), page)
        XCTAssertTrue(page.contains(":lang(zh) code, :lang(zh) pre { font-family: \"Lab Box Drawing\", \"Noto Sans Mono CJK SC\""), page)
        XCTAssertTrue(page.contains("unicode-range: U+2500-259F, U+2800-28FF; size-adjust: 83%;"), page)
        XCTAssertTrue(try self.page(about: nil).contains("<html lang=\"en\">"))
        let notebook = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(JupyterExport.text(chinese).utf8)) as? [String: Any])
        let selfsup = (notebook["metadata"] as? [String: Any])?["selfsup"] as? [String: Any]
        XCTAssertEqual(selfsup?["language"] as? String, "zh-CN")
        XCTAssertEqual(LessonTranslation.language(ofFile: "/tmp/course/03-collapse.lab"), .en)
        XCTAssertEqual(LessonTranslation.language(ofFile: "/tmp/zh/03-collapse.lab"), .zh)
    }

    func testContentsLinkEverySectionHeadingInOrder() throws {
        let page = try page(about: nil)
        XCTAssertTrue(page.contains("""
        <nav class="toc">
        <h2 class="toc-title">Contents</h2>
        <ul>
        <li class="toc-2"><a href="#two-views-of-one-image">Two views of one image</a></li>
        <li class="toc-3"><a href="#the-loss-its-floor">The loss &amp; its floor</a></li>
        <li class="toc-2"><a href="#two-views-of-one-image-2">Two views of one image</a></li>
        <li class="toc-2"><a href="#rank-measured">Rank, &lt;measured&gt;</a></li>
        </ul>
        </nav>
        """), page)
        // Every link has its target, once; the contents follow the title.
        for id in ["two-views-of-one-image", "the-loss-its-floor", "two-views-of-one-image-2", "rank-measured"] {
            XCTAssertEqual(page.components(separatedBy: "id=\"\(id)\"").count, 2, id)
        }
        let title = try XCTUnwrap(page.range(of: "<h1 id=\"3-mode-collapse\">"))
        let contents = try XCTUnwrap(page.range(of: "<nav class=\"toc\">"))
        XCTAssertLessThan(title.lowerBound, contents.lowerBound)
        XCTAssertNil(WellFormedness.problem(page))
    }

    func testFooterSaysVersionSeedAndMode() throws {
        let quick = try page(about: RunAbout(version: "9.8.7", seed: 42, quick: true))
        XCTAssertTrue(quick.contains("<footer class=\"about\">Made with SelfSup Lab 9.8.7 · seed 42 · quick mode (--quick)</footer>"), quick)
        let full = try page(about: RunAbout(seed: 7, quick: false))
        XCTAssertTrue(full.contains("Made with SelfSup Lab \(LabVersion.current) · seed 7 · full mode</footer>"), full)
        XCTAssertTrue(try page(about: nil).contains("<footer class=\"about\">Made with SelfSup Lab \(LabVersion.current)</footer>"))
    }

    func testStylesheetUsesTheWindowAndHasADarkTheme() {
        let css = HTMLExport.stylesheet
        XCTAssertTrue(css.contains("main { box-sizing: border-box; max-width: 80rem;"), "wider than the old 46rem column")
        XCTAssertTrue(css.contains("table.table td:not(.num) { white-space: normal;"), "long text cells wrap, numbers do not")
        XCTAssertTrue(css.contains("@media (prefers-color-scheme: dark)"))
        // Every colour of the light theme has its dark value.
        let root = css.components(separatedBy: "@media")[0]
        let dark = css.components(separatedBy: "@media")[1]
        let variables = root.components(separatedBy: "--").dropFirst().map { $0.prefix { $0 != ":" } }
        XCTAssertGreaterThan(variables.count, 10)
        for name in variables { XCTAssertTrue(dark.contains("--\(name):"), String(name)) }
    }
}
