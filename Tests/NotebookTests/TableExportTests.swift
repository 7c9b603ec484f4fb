import XCTest
import LabScript
@testable import Notebook

/// `bar`, `table` and `plot(xs, ys)` run in a real session and exported: bars and plots as
/// SVG figures, tables as HTML tables, Markdown tables and `text/html` + `text/plain` outputs.
final class TableExportTests: XCTestCase {
    static let lessonText = """
    # %% [markdown]
    # # 8. Tables

    # %%
    table([{method: "SimCLR", acc: {mean: 0.61, std: 0.02}}, {method: "a|b <c>", acc: 0.5}], title: "probe & kNN")

    # %%
    show(bar([[0.4, 0.5], [0.6, 0.7]], labels: ["SimCLR", "BYOL"], names: ["1 label", "3 labels"], errors: [[0.05, 0.02], [0.01, 0.03]], title: "probe"))
    plot([16, 64, 256], [0.5, 0.6, 0.55], title: "batch size")

    """

    func runLesson() throws -> LessonRun {
        let session = ScriptSession.standard(output: BufferOutputSink(), cancellation: CancellationFlag())
        let executor = InterpreterCellExecutor(session: session)
        let run = LessonRunner(executor: executor, write: { _ in }).run(try Lesson(parsing: TableExportTests.lessonText, file: "08-tables.lab"))
        XCTAssertEqual(run.outcome, .completed)
        return run
    }

    func testCellOutputsAreFiguresWithATableForm() throws {
        let run = try runLesson()
        let figures = run.records.flatMap(\.outputs).compactMap { output -> Figure? in
            if case .image(let figure) = output { return figure } else { return nil }
        }
        XCTAssertEqual(figures.map(\.title), ["probe & kNN", "probe", "batch size"])
        XCTAssertNotNil(figures[0].html)
        XCTAssertNotNil(figures[0].markdown)
        XCTAssertTrue(figures[0].terminalText?.contains("0.61 ± 0.02") ?? false)
        XCTAssertNil(figures[1].html, "bars are a picture, not a table")
        XCTAssertTrue(figures[1].svg.contains("class=\"bar\""))
        XCTAssertTrue(figures[2].svg.contains("class=\"series\""))
    }

    func testHTMLShowsARealTableAndSVGBars() throws {
        let page = HTMLExport.page(try runLesson())
        XCTAssertTrue(page.contains("<table class=\"table\">\n<caption>probe &amp; kNN</caption>"), page)
        XCTAssertTrue(page.contains("<tr><td>SimCLR</td><td class=\"num\">0.61 ± 0.02</td></tr>"))
        XCTAssertTrue(page.contains("<td>a|b &lt;c&gt;</td>"), "cells are escaped")
        XCTAssertTrue(page.contains("table.table .num { text-align: right"), "the stylesheet styles tables")
        XCTAssertEqual(page.components(separatedBy: "<figure>").count - 1, 2, "bars and plot are SVG figures")
        XCTAssertEqual(page.components(separatedBy: "class=\"error-bar\"").count - 1, 12)
        XCTAssertNil(WellFormedness.problem(page))
    }

    func testMarkdownWritesATableAndLinksFigures() throws {
        let export = MarkdownExport(try runLesson(), baseName: "08-tables")
        XCTAssertTrue(export.markdown.contains("""
        **probe & kNN**

        | method | acc |
        | --- | ---: |
        | SimCLR | 0.61 ± 0.02 |
        | a\\|b \\<c> | 0.5 |
        """), export.markdown)
        XCTAssertEqual(export.figures.map(\.name), ["08-tables-cell3-1.svg", "08-tables-cell3-2.svg"])
    }

    func testNotebookHasHTMLAndPlainTextForTablesAndSVGForBars() throws {
        let text = JupyterExport.text(try runLesson())
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        let tableOutput = try XCTUnwrap((cells[1]["outputs"] as? [[String: Any]])?.first)
        XCTAssertEqual(tableOutput["output_type"] as? String, "display_data")
        let data = try XCTUnwrap(tableOutput["data"] as? [String: Any])
        XCTAssertEqual(Set(data.keys), ["text/html", "text/plain"])
        XCTAssertTrue(((data["text/html"] as? [String]) ?? []).joined().hasPrefix("<table class=\"table\">"))
        let plain = ((data["text/plain"] as? [String]) ?? []).joined()
        XCTAssertTrue(plain.contains("SimCLR") && plain.contains("0.61 ± 0.02") && plain.contains("──"), plain)
        let figures = try XCTUnwrap(cells[2]["outputs"] as? [[String: Any]])
        XCTAssertEqual(figures.count, 2)
        for figure in figures {
            let data = try XCTUnwrap(figure["data"] as? [String: Any])
            XCTAssertTrue(((data["image/svg+xml"] as? [String]) ?? []).joined().hasPrefix("<svg xmlns="))
        }
    }

    /// The notebook validates with nbformat: with the Python in `SELFSUP_NBFORMAT_PYTHON`
    /// (e.g. a private venv: `python3 -m venv V && V/bin/pip install nbformat`), else with
    /// python3 on the PATH if it has nbformat; skipped otherwise.
    func testNotebookWithTablesValidatesWithNbformat() throws {
        let environment = ProcessInfo.processInfo.environment
        let python = environment["SELFSUP_NBFORMAT_PYTHON"].map { URL(fileURLWithPath: $0) } ?? PythonTool.find()
        guard let python, PythonTool.run(python, ["-c", "import nbformat"]).status == 0 else {
            throw XCTSkip("nbformat is not installed: set SELFSUP_NBFORMAT_PYTHON to a python with nbformat (a private venv) to run this check")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tables-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("08-tables.ipynb")
        try LessonExport.write(try runLesson(), as: .ipynb, to: path)
        let check = PythonTool.run(python, ["-c",
            "import sys, nbformat; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); print(len(nb.cells))", path.path])
        XCTAssertEqual(check.status, 0, "nbformat rejected the notebook:\n\(check.output)")
        XCTAssertEqual(check.output.trimmingCharacters(in: .whitespacesAndNewlines), "3")
    }
}
