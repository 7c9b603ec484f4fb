import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Notebook

final class ExportTests: XCTestCase {
    func runFakeLesson(_ text: String = fakeLessonText, file: String = "00-tour.lab") throws -> LessonRun {
        let runner = LessonRunner(executor: FakeExecutor(), write: { _ in })
        return runner.run(try Lesson(parsing: text, file: file))
    }

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    // MARK: Markdown

    func testMarkdownGolden() throws {
        let export = MarkdownExport(try runFakeLesson(), baseName: "00-tour")
        XCTAssertEqual(export.markdown, """
        # 0. A *tour*

        Prose with `code` & \\<angle> brackets.

        ```lab
        print hello
        progress
        ```

        ```text
        hello
        100%
        ```

        ```lab
        plot Loss over "training"
        print done
        ```

        ![Loss over "training"](./00-tour-cell4-1.svg)

        ```text
        done
        ```

        The end.

        """)
        XCTAssertEqual(export.figures.map(\.name), ["00-tour-cell4-1.svg"])
        XCTAssertTrue(export.figures[0].contents.hasPrefix("<?xml"))
    }

    func testMarkdownFailureAndFences() throws {
        let run = try runFakeLesson("# %%\nprint ```x```\nfail nope\n", file: "f.lab")
        XCTAssertEqual(MarkdownExport(run, baseName: "f").markdown, """
        ````lab
        print ```x```
        fail nope
        ````

        ````text
        ```x```
        ````

        **Error:**

        ```text
        f.lab:3:1: error: nope
          fail nope
          ^
        ```

        > **The run stopped:** cell 1 failed at line 3: nope

        """)
    }

    func testWritesMarkdownWithFiguresBesideAtomically() throws {
        let dir = try temporaryDirectory()
        let target = dir.appendingPathComponent("tour.md")
        let written = try LessonExport.write(try runFakeLesson(), as: .markdown, to: target)
        XCTAssertEqual(written.map(\.lastPathComponent), ["tour.md", "tour-cell4-1.svg"])
        let markdown = try String(contentsOf: target, encoding: .utf8)
        XCTAssertTrue(markdown.contains("![Loss over \"training\"](./tour-cell4-1.svg)"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("tour-cell4-1.svg").path))
        // No temporary files are left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(),
                       ["tour-cell4-1.svg", "tour.md"])
        // Overwriting replaces the file.
        try AtomicFile.write("new", to: target)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "new")
        XCTAssertThrowsError(try AtomicFile.write("x", to: dir.appendingPathComponent("missing/dir/f.md")))
    }

    // MARK: HTML

    func testHTMLPageIsWellFormedAndEscaped() throws {
        let page = HTMLExport.page(try runFakeLesson())
        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        XCTAssertTrue(page.contains("<title>0. A *tour*</title>"))
        XCTAssertTrue(page.contains("<h1 id=\"0-a-tour\">0. A <em>tour</em></h1>"))
        XCTAssertTrue(page.contains("<p>Prose with <code>code</code> &amp; &lt;angle&gt; brackets.</p>"))
        XCTAssertTrue(page.contains(#"<pre class="code"><code>plot Loss over <span class="st">&quot;training&quot;</span>"#))
        XCTAssertTrue(page.contains("<pre class=\"output\">hello\n100%\n</pre>"))
        XCTAssertTrue(page.contains("<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(page.contains("<figcaption>Loss over &quot;training&quot;</figcaption>"))
        XCTAssertFalse(page.contains("<?xml"), "the SVG prolog must not be inlined")
        XCTAssertFalse(page.contains("\u{1B}"), "no ANSI escapes in HTML")
        XCTAssertFalse(page.contains("src=") || page.contains("href=\"http"), "the page must be self-contained")
        try assertWellFormedXML(page)

        let failed = HTMLExport.page(try runFakeLesson("# %%\nfail x < y & z\n", file: "f.lab"))
        XCTAssertTrue(failed.contains("<pre class=\"error\">f.lab:2:1: error: x &lt; y &amp; z"))
        XCTAssertTrue(failed.contains("<p class=\"stopped\">The run stopped: cell 1 failed at line 2: x &lt; y &amp; z</p>"))
        try assertWellFormedXML(failed)
    }

    func testWellFormednessCheckCanFail() {
        XCTAssertNotNil(WellFormedness.problem("<html><p><b>x</p></html>"))
        XCTAssertNotNil(WellFormedness.problem("<html><p>a & b</p></html>"))
        XCTAssertNotNil(WellFormedness.problem("<html><p>open</html>"))
        XCTAssertNil(WellFormedness.problem("<!DOCTYPE html>\n<html><p>a &amp; <br/>b</p></html>"))
    }

    func assertWellFormedXML(_ page: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertNil(WellFormedness.problem(page), file: file, line: line)
    }

    // MARK: Jupyter

    func testNotebookStructure() throws {
        let text = JupyterExport.text(try runFakeLesson())
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(json["nbformat"] as? Int, 4)
        XCTAssertEqual(json["nbformat_minor"] as? Int, 5)
        let metadata = try XCTUnwrap(json["metadata"] as? [String: Any])
        XCTAssertEqual((metadata["kernelspec"] as? [String: Any])?["name"] as? String, "labscript")
        XCTAssertEqual((metadata["language_info"] as? [String: Any])?["name"] as? String, "labscript")
        // The source file by its name only: no folder of the exporting machine.
        let placed = JupyterExport.text(try runFakeLesson(file: "/tmp/course/00-tour.lab"))
        let placedJSON = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(placed.utf8)) as? [String: Any])
        let selfsup = (placedJSON["metadata"] as? [String: Any])?["selfsup"] as? [String: Any]
        XCTAssertEqual(selfsup?["source"] as? String, "00-tour.lab")
        XCTAssertFalse(placed.contains("/tmp/course"))
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        XCTAssertEqual(cells.map { $0["cell_type"] as? String }, ["markdown", "code", "code", "markdown"])
        XCTAssertEqual(cells.map { $0["id"] as? String }, ["cell-1", "cell-2", "cell-4", "cell-5"])
        XCTAssertEqual(cells[0]["source"] as? [String], ["# 0. A *tour*\n", "Prose with `code` & <angle> brackets."])
        XCTAssertEqual(cells[1]["execution_count"] as? Int, 1)
        let stream = try XCTUnwrap((cells[1]["outputs"] as? [[String: Any]])?.first)
        XCTAssertEqual(stream["output_type"] as? String, "stream")
        XCTAssertEqual(stream["name"] as? String, "stdout")
        XCTAssertEqual(stream["text"] as? [String], ["hello\n", "100%\n"])
        let outputs = try XCTUnwrap(cells[2]["outputs"] as? [[String: Any]])
        XCTAssertEqual(outputs.map { $0["output_type"] as? String }, ["display_data", "stream"])
        let data = try XCTUnwrap(outputs[0]["data"] as? [String: Any])
        XCTAssertTrue(((data["image/svg+xml"] as? [String])?.joined() ?? "").hasPrefix("<svg xmlns="))
        XCTAssertEqual(data["text/plain"] as? [String], ["<Figure: Loss over \"training\">"])
        // Deterministic: the same run gives the same bytes, keys sorted, one-space indent.
        XCTAssertEqual(JupyterExport.text(try runFakeLesson()), text)
        XCTAssertTrue(text.hasPrefix("{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n   \"id\": \"cell-1\",\n   \"metadata\": {\n    \"selfsup\": {\n     \"kind\": \"markdown\",\n     \"time\": \"30s\"\n    }\n   },\n"))
        XCTAssertTrue(text.hasSuffix(" \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n"))
    }

    func testFailedRunNotebookHasErrorOutputAndUnrunCells() throws {
        let text = JupyterExport.text(try runFakeLesson("# %%\nprint a\nfail broken\n", file: "f.lab"))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let cell = try XCTUnwrap((json["cells"] as? [[String: Any]])?.first)
        let outputs = try XCTUnwrap(cell["outputs"] as? [[String: Any]])
        XCTAssertEqual(outputs.map { $0["output_type"] as? String }, ["stream", "error"])
        XCTAssertEqual(outputs[1]["ename"] as? String, "LabScriptError")
        XCTAssertEqual(outputs[1]["evalue"] as? String, "f.lab:3:1: error: broken")
        XCTAssertEqual(outputs[1]["traceback"] as? [String], ["f.lab:3:1: error: broken", "  fail broken", "  ^"])
    }

    /// The exported notebook validates with Python's nbformat (installed with pip when missing).
    func testNotebookValidatesWithNbformat() throws {
        guard let python = PythonTool.find() else {
            throw XCTSkip("python3 is not installed")
        }
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("tour.ipynb")
        try LessonExport.write(try runFakeLesson(), as: .ipynb, to: path)
        let failed = dir.appendingPathComponent("failed.ipynb")
        try LessonExport.write(try runFakeLesson("# %% [exercise] id=x\nprint a\nfail broken\n", file: "f.lab"),
                               as: .ipynb, to: failed)

        if PythonTool.run(python, ["-c", "import nbformat"]).status != 0 {
            let install = PythonTool.run(python, ["-m", "pip", "install", "--quiet", "nbformat"])
            XCTAssertEqual(install.status, 0, "pip install nbformat failed:\n\(install.output)")
        }
        for file in [path, failed] {
            let check = PythonTool.run(python, ["-c",
                "import sys, nbformat; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); print(nb.nbformat, nb.nbformat_minor, len(nb.cells))",
                file.path])
            XCTAssertEqual(check.status, 0, "nbformat rejected \(file.lastPathComponent):\n\(check.output)")
        }
        let summary = PythonTool.run(python, ["-c",
            "import sys, nbformat; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); print(nb.nbformat, nb.nbformat_minor, len(nb.cells))",
            path.path])
        XCTAssertEqual(summary.output.trimmingCharacters(in: .whitespacesAndNewlines), "4 5 4")
    }
}

/// Finds and runs python3 for the validation test.
enum PythonTool {
    static func find() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("python3")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    static func run(_ executable: URL, _ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            return (-1, "could not start \(executable.path): \(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Checks that a page is well-formed XML: XMLParser for syntax (entities, quoting) and
/// a stack of open elements for nesting, which swift-corelibs' XMLParser does not enforce.
final class WellFormedness: NSObject, XMLParserDelegate {
    var stack: [String] = []
    var problems: [String] = []

    static func problem(_ text: String) -> String? {
        let checker = WellFormedness()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = checker
        if !parser.parse() {
            checker.problems.append("parse error \(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)")
        }
        if !checker.stack.isEmpty { checker.problems.append("unclosed: \(checker.stack)") }
        return checker.problems.first
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        stack.append(name)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if stack.last == name {
            stack.removeLast()
        } else {
            problems.append("</\(name)> closes <\(stack.last ?? "nothing")> at line \(parser.lineNumber)")
            parser.abortParsing()
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred error: Error) {
        problems.append("\(error) at line \(parser.lineNumber)")
    }
}
