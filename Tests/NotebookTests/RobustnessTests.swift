import TensorCore
import XCTest
@testable import Notebook

/// Random files and prose never crash the parser, the renderers or the exports.
final class RobustnessTests: XCTestCase {
    func testRandomFilesParseOrFailWithALocatedError() {
        var random = RandomGenerator(seed: 42)
        let pieces = ["# %%", " [markdown]", " [exercise]", " [test]", " [hint]", " [x]", " id=a", " id=b",
                      " points=2", " points=x", " name=\"t\"", " name=\"", " k=v", "\n", "\n", "# ", "#", "x = 1",
                      "todo(\"a\")", " ", "\"", "[", "]", "=", "é", "\r\n"]
        var parsed = 0, rejected = 0
        for _ in 0..<2000 {
            let text = random.text(from: pieces, length: 40)
            let lineCount = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).count
            do {
                let doc = try NotebookDocument(parsing: text, file: "r.lab")
                parsed += 1
                for cell in doc.cells {
                    XCTAssertGreaterThanOrEqual(cell.firstLine, 1)
                    XCTAssertLessThanOrEqual(cell.firstLine, lineCount + 1)
                }
                _ = try? ExerciseFile(document: doc)
                let run = LessonRunner(executor: FakeExecutor(), write: { _ in }).run(doc)
                _ = MarkdownExport(run, baseName: "r")
                _ = HTMLExport.page(run)
                _ = JupyterExport.text(run)
            } catch {
                rejected += 1
                XCTAssertGreaterThanOrEqual(error.line, 1)
                XCTAssertLessThanOrEqual(error.line, max(lineCount, 1))
            }
        }
        XCTAssertGreaterThan(parsed, 100)
        XCTAssertGreaterThan(rejected, 100)
    }

    func testRandomProseRendersWithinWidth() {
        var random = RandomGenerator(seed: 7)
        let pieces = ["word", "longer-word", " ", " ", "\n", "\n\n", "*", "**", "_", "`", "# ", "## ", "- ", "1. ",
                      "> ", "```", "[", "](", ")", "\\", "  ", "é", "🙂"]
        for _ in 0..<2000 {
            let text = random.text(from: pieces, length: 50)
            let width = 20 + random.nextInt(below: 40)
            let plain = TerminalMarkdownRenderer(width: width, colour: false).render(text)
            let coloured = TerminalMarkdownRenderer(width: width, colour: true).render(text)
            XCTAssertEqual(stripANSI(coloured).count > 0, plain.count > 0)
            _ = HTMLMarkdownRenderer.render(text)
            if !text.contains("```") {
                for line in plain.split(separator: "\n") {
                    // Lines fit, unless a single word is longer than the width.
                    let words = line.split(separator: " ")
                    XCTAssertTrue(line.count <= width || words.count <= 3, "\(width): \(line)")
                }
            }
        }
    }
}

extension RandomGenerator {
    /// Up to `length` random pieces joined: random file text for robustness tests.
    mutating func text(from pieces: [String], length: Int) -> String {
        (0..<nextInt(below: length)).map { _ in pieces[nextInt(below: pieces.count)] }.joined()
    }
}
